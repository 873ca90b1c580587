package web

// routes is the one table of every route. access says who may call it; the tests in
// access_test.go and openapi_test.go walk this table.
func (s *Server) routes() []route {
	return []route{
		{"GET /healthz", public, s.healthz},
		{"GET /api/v1/openapi.json", public, s.openapi},
		{"GET /api/v1/doctypes", public, s.doctypes},

		{"GET /api/v1/data/{doctype}", personal, s.listDocs},
		{"POST /api/v1/data/{doctype}", personal, s.createDocs},
		{"GET /api/v1/data/{doctype}/{id}", personal, s.getDoc},
		{"PUT /api/v1/data/{doctype}/{id}", personal, s.putDoc},
		{"DELETE /api/v1/data/{doctype}/{id}", personal, s.deleteDoc},
		{"GET /api/v1/changes", personal, s.changes},
		{"GET /api/v1/holdings", personal, s.holdings},
		{"GET /api/v1/access-log", owner, s.accessLog},
		{"GET /api/v1/consents", owner, s.listConsents},
		{"GET /api/v1/consents/{id}/receipt", owner, s.consentReceipt},
		{"GET /api/v1/jwks/{instance}", public, s.jwks},

		{"GET /api/v1/series", personal, s.listSeries},
		{"POST /api/v1/series", personal, s.createSeries},
		{"GET /api/v1/series/{id}", personal, s.getSeries},
		{"GET /api/v1/series/{id}/readings", personal, s.readings},
		{"POST /api/v1/series/{id}/readings", personal, s.addReadings},
		{"GET /api/v1/series/{id}/aggregate", personal, s.aggregate},

		{"POST /api/v1/files", personal, s.uploadFile},
		{"GET /api/v1/files/{id}", personal, s.fileContent},
		{"GET /api/v1/files/{id}/meta", personal, s.fileMeta},

		{"POST /api/v1/imports", personal, s.importFile},
		{"GET /api/v1/connections", owner, s.listConnections},
		{"POST /api/v1/connections/{id}/{action}", owner, s.decideConnection},
		{"GET /api/v1/pulls", owner, s.listPulls},
		{"GET /connect/{org}", ownerUI, s.connectStart},
		{"GET /connect/{org}/callback", ownerUI, s.connectCallback},

		{"POST /api/v1/org/connections", organization, s.requestConnection},
		{"GET /api/v1/org/connections/{id}", organization, s.orgConnection},
		{"POST /api/v1/deposits", depositor, s.deposit},
		{"POST /api/v1/deposits/files", depositor, s.depositFile},

		{"GET /{$}", ownerUI, s.home},
		{"GET /data", ownerUI, s.browseIndex},
		{"GET /data/{doctype}", ownerUI, s.browseList},
		{"GET /data/{doctype}/{id}", ownerUI, s.browseRecord},
		{"GET /search", ownerUI, s.searchPage},
		{"GET /charts", ownerUI, s.chartsIndex},
		{"GET /charts/{kind}", ownerUI, s.chartPage},
		{"GET /import", ownerUI, s.importPage},
		{"POST /import", ownerUI, s.importUpload},
		{"GET /connections", ownerUI, s.connectionsPage},
		{"POST /connections/{id}/{action}", ownerUI, s.connectionAction},
		{"GET /access-log", ownerUI, s.accessLogPage},
		{"GET /settings", ownerUI, s.settingsPage},
		{"POST /settings/passphrase", ownerUI, s.changePassphrase},
		{"GET /oauth/authorize", ownerUI, s.authorizePage},
		{"POST /oauth/authorize", ownerUI, s.authorizeDecide},
		{"POST /oauth/token", public, s.oauthToken},
		{"POST /oauth/revoke", public, s.oauthRevoke},
		{"GET /.well-known/oauth-authorization-server", public, s.oauthMetadata},
		{"GET /login", public, s.loginPage},
		{"POST /login", public, s.login},
		{"POST /logout", public, s.logout},
		{"GET /static/", public, s.static},
	}
}
