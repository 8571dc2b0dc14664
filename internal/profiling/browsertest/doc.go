// Package browsertest checks conclab's HTML reports (`conclab profile`'s and
// `conclab scale`'s) and their flame graphs in a real headless browser: Chromium, driven over the DevTools protocol with
// github.com/chromedp/chromedp. The tests generate a report and flame graphs
// from synthetic profiles, open them (over a server on 127.0.0.1, and from
// disk, as a user would), and check what a person would see: no error on the
// console, every embedded graph and every link resolves, clicking a frame
// zooms into it, Search highlights the matching frames and prints their
// share.
//
// The package has no code outside its tests. They skip, saying why, where no
// browser is found (chromium, chromium-browser, google-chrome or
// headless-shell on PATH, or the path in CONCLAB_BROWSER), so `make test`
// stays green on machines without one; `make browser-test` installs Debian's
// chromium where it can (apt-get, as root) and runs them. With
// -browsertest.png DIR they also save screenshots of what they checked.
package browsertest
