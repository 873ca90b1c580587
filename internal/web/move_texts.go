package web

// moveTexts are the words of a move (selfdata instance import): its line in the access log.
var moveTexts = map[string][2]string{ // key: {en, fr}
	"log.move": {"brought your store to this server (move)", "a apporté votre espace sur ce serveur (déménagement)"},
}
