module quiesce.dev/tools/go-fixtures

go 1.19

// Built in GOPATH mode against Debian's packaged sources (see record.sh):
// golang-go and golang-github-masterminds-sprig-dev (sprig v3.2.3), which are
// installed under /usr/share/gocode with the import path github.com/Masterminds/sprig.
