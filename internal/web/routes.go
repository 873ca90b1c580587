package web

// routes is the one table of every route. access says who may call it; the tests in
// access_test.go and openapi_test.go walk this table.
func (s *Server) routes() []route {
	return []route{
		{"GET /healthz", public, s.healthz},
		{"GET /api/v1/openapi.json", public, s.openapi},
		{"GET /api/v1/doctypes", public, s.doctypes},

		{"GET /api/v1/data/{doctype}", anyone, s.listDocs},
		{"POST /api/v1/data/{doctype}", anyone, s.createDocs},
		{"GET /api/v1/data/{doctype}/{id}", anyone, s.getDoc},
		{"PUT /api/v1/data/{doctype}/{id}", anyone, s.putDoc},
		{"DELETE /api/v1/data/{doctype}/{id}", anyone, s.deleteDoc},
		{"GET /api/v1/changes", anyone, s.changes},
		{"GET /api/v1/holdings", anyone, s.holdings},
		{"GET /api/v1/access-log", anyone, s.accessLog},

		{"GET /api/v1/series", anyone, s.listSeries},
		{"POST /api/v1/series", anyone, s.createSeries},
		{"GET /api/v1/series/{id}", anyone, s.getSeries},
		{"GET /api/v1/series/{id}/readings", anyone, s.readings},
		{"POST /api/v1/series/{id}/readings", anyone, s.addReadings},
		{"GET /api/v1/series/{id}/aggregate", anyone, s.aggregate},

		{"POST /api/v1/files", anyone, s.uploadFile},
		{"GET /api/v1/files/{id}", anyone, s.fileContent},
		{"GET /api/v1/files/{id}/meta", anyone, s.fileMeta},

		{"GET /{$}", ownerUI, s.home},
		{"GET /login", public, s.loginPage},
		{"POST /login", public, s.login},
		{"POST /logout", public, s.logout},
		{"GET /static/", public, s.static},
	}
}
