// Command screenshots regenerates the screenshots of the main pages in docs/screenshots.
//
//	go run ./cmd/screenshots [-out docs/screenshots] [-only REGEXP] [-full]
//
// It builds selfdata, runs `selfdata demo` on a fresh data directory and a free port — the
// very demo a reader can start — logs in as the demo person in headless Chromium and
// saves a PNG of the first screen of each page: what a person sees on opening it, at
// 1280×900 on a desktop or 390×844 on a phone, before scrolling; with -full, the whole
// page (with -only, for the one shot that needs it). Running the real command, rather than wiring a server here,
// keeps the pictures true to what `selfdata demo` shows.
//
// It needs the go command and Chromium (Debian: apt-get install chromium). The demo's year
// of data ends on the day it runs, so the dates in the pictures move with each run.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/chromedp/chromedp"
)

// shot is one picture: a page at a viewport width.
type shot struct {
	file, path string
	width      int64
	// upload, when set, is a file sent with the page's import form (path is the Import
	// page); the picture is of the answer, e.g. the question a bank's CSV export asks.
	upload *upload
}

// upload is a file of a shot's, and the element its answer shows once it is there.
type upload struct {
	name, content, wait string
}

// oddBank is a bank's CSV export whose column names no guess knows: the Import page shows
// its first rows and asks which column holds what.
var oddBank = &upload{name: "releve-banque.csv", wait: ".import-columns",
	content: "Compte;FR76 3000 4000 0500 0012 3456 789\nJour;Texte;Somme;Reste\n03/02/2025;CB BOULANGERIE DU PARC;-4,20;1 100,00\n" +
		"04/02/2025;VIR LOYER FEVRIER;-650,00;450,00\n05/02/2025;VIR SALAIRE;2 100,00;2 550,00\n06/02/2025;PRLV EAU DU GRAND LYON;-31,45;2 518,55\n"}

// The screens the pictures are taken on: a desktop's and a phone's, in CSS pixels.
const (
	desktopHeight = 900
	phoneWidth    = 390
	phoneHeight   = 844
)

var shots = []shot{
	{"home-desktop.png", "/", 1280, nil},
	{"home-phone.png", "/", phoneWidth, nil},
	{"data.png", "/data", 1280, nil},
	{"chart-electricity.png", "/charts/electricity", 1280, nil},
	{"import.png", "/import", 1280, nil},
	{"connections.png", "/connections", 1280, nil},
	{"access-log.png", "/access-log", 1280, nil},
	{"consents.png", "/consents", 1280, nil},
	{"consent-phone.png", "/oauth/authorize?response_type=code&client_id=watt-lyon&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback" +
		"&state=screenshot-state&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256", phoneWidth, nil},
	// The built-in services last, each in English on a desktop and in French on a phone: the
	// language is chosen by ?lang= (and remembered), so every one of them names it.
	{"services.png", "/services?lang=en", 1280, nil},
	{"service-energy.png", "/services/selfdata-energy?lang=en", 1280, nil},
	{"service-energy-phone-fr.png", "/services/selfdata-energy?lang=fr", phoneWidth, nil},
	{"service-home.png", "/services/selfdata-home?lang=en", 1280, nil},
	{"service-home-phone-fr.png", "/services/selfdata-home?lang=fr", phoneWidth, nil},
	{"service-accounts.png", "/services/selfdata-accounts?lang=en", 1280, nil},
	{"service-accounts-phone-fr.png", "/services/selfdata-accounts?lang=fr", phoneWidth, nil},
	{"service-contracts.png", "/services/selfdata-contracts?lang=en", 1280, nil},
	{"service-contracts-phone-fr.png", "/services/selfdata-contracts?lang=fr", phoneWidth, nil},
	{"service-map.png", "/services/selfdata-map?lang=en", 1280, nil},
	{"service-map-phone-fr.png", "/services/selfdata-map?lang=fr", phoneWidth, nil},
	{"service-communication.png", "/services/selfdata-communication?lang=en", 1280, nil},
	{"service-communication-phone-fr.png", "/services/selfdata-communication?lang=fr", phoneWidth, nil},
	{"service-whoami.png", "/services/selfdata-whoami?lang=en", 1280, nil},
	{"service-whoami-phone-fr.png", "/services/selfdata-whoami?lang=fr", phoneWidth, nil},
	{"service-signoflife.png", "/services/selfdata-signoflife?lang=en", 1280, nil},
	{"service-signoflife-phone-fr.png", "/services/selfdata-signoflife?lang=fr", phoneWidth, nil},
	// And the other way round for the pages above: French on a desktop, English on a phone.
	{"home-desktop-fr.png", "/?lang=fr", 1280, nil},
	{"chart-electricity-fr.png", "/charts/electricity?lang=fr", 1280, nil},
	{"access-log-phone.png", "/access-log?lang=en", phoneWidth, nil},
	// A bank's CSV export whose columns the person names once, in both languages and sizes.
	{"import-columns.png", "/import?lang=en", 1280, oddBank},
	{"import-columns-phone-fr.png", "/import?lang=fr", phoneWidth, oddBank},
	// The person's rights: a request to an organization, and the operator's public register.
	{"rights-request.png", "/rights/requests/new?org=enedis&kind=access&lang=en", 1280, nil},
	{"rights-request-phone-fr.png", "/rights/requests/new?org=enedis&kind=erasure&lang=fr", phoneWidth, nil},
	{"register-fr.png", "/register?lang=fr", 1280, nil},
	{"register-phone.png", "/register?lang=en", phoneWidth, nil},
}

// The demo person, as `selfdata demo` prints them.
const (
	demoName       = "demo"
	demoPassphrase = "demo-lyon-2026"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("screenshots: ")
	out := flag.String("out", filepath.Join("docs", "screenshots"), "folder the PNG files are written to")
	chromium := flag.String("chromium", "", "the Chromium or Chrome to drive (default: chromium on the PATH)")
	only := flag.String("only", "", "take only the shots whose file name matches this regular expression")
	full := flag.Bool("full", false, "capture whole pages rather than their first screen")
	flag.Parse()
	pick, err := regexp.Compile(*only)
	if err != nil {
		log.Fatalf("-only: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *out, *chromium, pick, *full); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out, chromium string, pick *regexp.Regexp, full bool) error {
	if chromium == "" {
		p, err := exec.LookPath("chromium")
		if err != nil {
			return fmt.Errorf("chromium not found (apt-get install chromium, or pass -chromium PATH): %w", err)
		}
		chromium = p
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "selfdata-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	base, stop, err := startDemo(ctx, tmp)
	if err != nil {
		return err
	}
	defer stop()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.NoSandbox, // as root, Chromium refuses its sandbox
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()

	if err := chromedp.Do(bctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("instance"), demoName),
		chromedp.SendKeys(chromedp.ID("passphrase"), demoPassphrase),
	); err != nil {
		return fmt.Errorf("login page: %w", err)
	}
	if _, err := chromedp.RunResponse(bctx, chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`))); err != nil {
		return fmt.Errorf("logging in: %w", err)
	}

	for _, s := range shots {
		if !pick.MatchString(s.file) {
			continue
		}
		png, err := capture(bctx, base+s.path, s.width, full, s.upload, tmp)
		if err != nil {
			return fmt.Errorf("%s at %d px: %w", s.path, s.width, err)
		}
		file := filepath.Join(out, s.file)
		if err := os.WriteFile(file, png, 0o644); err != nil {
			return err
		}
		what := "first screen"
		if full {
			what = "full page"
		}
		fmt.Printf("%s (%s, %d px wide, %s, %d KB)\n", file, s.path, s.width, what, len(png)/1024)
	}
	return nil
}

// capture loads url in a viewport width px wide (a phone's below 600 px, a desktop's
// otherwise) and returns a PNG of what the screen shows, or of the whole page when full.
func capture(ctx context.Context, url string, width int64, full bool, up *upload, tmp string) ([]byte, error) {
	var opts []chromedp.EmulateViewportOption
	height := int64(desktopHeight)
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
		height = phoneHeight
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		return nil, err
	}
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		return nil, err
	}
	if res.Status != 200 {
		return nil, fmt.Errorf("HTTP %d", res.Status)
	}
	if up != nil {
		file := filepath.Join(tmp, up.name)
		if err := os.WriteFile(file, []byte(up.content), 0o644); err != nil {
			return nil, err
		}
		if err := chromedp.Do(ctx,
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
			chromedp.Click(chromedp.CSS(`#import-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(up.wait)),
		); err != nil {
			return nil, fmt.Errorf("uploading %s: %w", up.name, err)
		}
	}
	if full {
		return chromedp.Run(ctx, chromedp.FullScreenshot(100))
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

// startDemo builds selfdata, starts `selfdata demo` with its data in dir on a free port and
// returns its address once it listens; stop interrupts it and waits for it to end.
func startDemo(ctx context.Context, dir string) (string, func(), error) {
	bin := filepath.Join(dir, "selfdata")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "selfdata/cmd/selfdata")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", nil, fmt.Errorf("building selfdata: %w", err)
	}
	demo := exec.Command(bin, "demo", "--data", filepath.Join(dir, "data"), "--addr", "127.0.0.1:0")
	demo.Stderr = os.Stderr
	stdout, err := demo.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := demo.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		demo.Process.Signal(os.Interrupt)
		demo.Wait()
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`open (http://\S+)/`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if ok {
			return a, stop, nil
		}
		stop()
		return "", nil, errors.New("selfdata demo ended before it served")
	case <-time.After(2 * time.Minute):
		stop()
		return "", nil, errors.New("selfdata demo did not start within 2 minutes")
	}
}
