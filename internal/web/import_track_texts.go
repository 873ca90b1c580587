package web

// trackTexts name the GPS tracks (GPX, KML) on the import page and in a refused import's
// advice: what the family holds, the kind of file, and where a person downloads it.
var trackTexts = map[string][2]string{ // key: {en, fr}
	"fmt.tracks":   {"Outings: the GPS tracks of your runs, rides, hikes and routes, as GPX or KML files (Strava, Garmin Connect, Komoot, OsmAnd, Google My Maps, Google Earth)", "Sorties : les traces GPS de vos courses, balades à vélo, randonnées et itinéraires, en fichiers GPX ou KML (Strava, Garmin Connect, Komoot, OsmAnd, Google My Maps, Google Earth)"},
	"kind.tracks":  {"GPS track", "trace GPS"},
	"where.tracks": {"For a sports or navigation app, the export of the activity or the route as a GPX file (Strava, Garmin Connect: the activity's menu → Export GPX), or of the map as KML (Google My Maps: the map's menu → Export to KML)", "Pour une application de sport ou de navigation, l'export de l'activité ou de l'itinéraire en fichier GPX (Strava, Garmin Connect : le menu de l'activité → export GPX), ou de la carte en KML (Google My Maps : le menu de la carte → export KML)"},
}
