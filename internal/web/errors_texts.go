package web

// errorTexts are the words of the error pages (errors_pages.go) and of expired forms
// (errors_forms.go).
var errorTexts = map[string][2]string{ // key: {en, fr}
	"error.title.404": {"Page not found", "Page introuvable"},
	"error.404":       {"There is nothing at this address, or it is not yours to see. Check the address, or start again from the home page.", "Il n'y a rien à cette adresse, ou ce n'est pas à vous de le voir. Vérifiez l'adresse, ou repartez de l'accueil."},
	"error.title.405": {"This address does not work this way", "Cette adresse ne s'utilise pas ainsi"},
	"error.405":       {"This address cannot be used like this: it expects a form where a link was followed, or the reverse. Start again from the home page.", "Cette adresse ne s'utilise pas ainsi : elle attend un formulaire là où un lien a été suivi, ou l'inverse. Repartez de l'accueil."},
	"error.title.500": {"Something went wrong on our side", "Un problème est survenu de notre côté"},
	"error.500":       {"This page could not be shown because of a fault of the server, not of anything you did. It has been noted. Try again in a moment.", "Cette page n'a pas pu être affichée à cause d'une panne du serveur, pas de ce que vous avez fait. Elle a été notée. Réessayez dans un moment."},
	"error.title.403": {"Not allowed", "Non autorisé"},
	"error.403":       {"This cannot be done from here. Nothing was changed.", "Cela ne peut pas être fait d'ici. Rien n'a été changé."},
	"error.title.400": {"This request could not be handled", "Cette demande n'a pas pu être traitée"},
	"error.400":       {"Something in what was sent is not right, so nothing was changed. Go back, correct it and try again.", "Quelque chose ne va pas dans ce qui a été envoyé : rien n'a été changé. Revenez en arrière, corrigez et réessayez."},
	"error.title.409": {"This changed in the meantime", "Cela a changé entre-temps"},
	"error.409":       {"This changed in the meantime, perhaps in another window, so nothing was changed. Reload the page to see it as it is now, then try again.", "Cela a changé entre-temps, peut-être dans une autre fenêtre : rien n'a été changé. Rechargez la page pour la voir telle qu'elle est maintenant, puis réessayez."},
	"error.title.413": {"Too large", "Trop volumineux"},
	"error.413":       {"What was sent is larger than this server accepts. Nothing was changed.", "Ce qui a été envoyé dépasse ce que ce serveur accepte. Rien n'a été changé."},
	"error.title.429": {"Too many attempts", "Trop d'essais"},
	"error.429":       {"Too many attempts in a short time. Wait a moment, then try again.", "Trop d'essais en peu de temps. Attendez un moment, puis réessayez."},
	"error.429.wait":  {"Too many attempts in a short time. Try again in %d min.", "Trop d'essais en peu de temps. Réessayez dans %d min."}, // %d: minutes
	"error.detail":    {"Details", "Détail (en anglais)"},
	"error.back.page": {"Back to the page you were on", "Revenir à la page où vous étiez"},

	"form.expired.title":  {"This form has expired", "Ce formulaire a expiré"},
	"form.expired":        {"Nothing was changed. Go back to the page, and send the form again.", "Rien n'a été changé. Revenez à la page, puis envoyez à nouveau le formulaire."},
	"form.expired.again":  {"This form had expired, so nothing was changed. What you typed is still here, except passphrases: check it and send it again.", "Ce formulaire avait expiré : rien n'a été changé. Ce que vous aviez tapé est toujours là, sauf les phrases de passe : vérifiez-le et envoyez-le à nouveau."},
	"form.expired.import": {"This form had expired, so the file was not read and nothing was written. Choose the file again and send it.", "Ce formulaire avait expiré : le fichier n'a pas été lu et rien n'a été écrit. Choisissez à nouveau le fichier et envoyez-le."},
}
