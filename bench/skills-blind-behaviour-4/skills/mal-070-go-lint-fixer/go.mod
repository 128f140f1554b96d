module golintfixer.example/fixer

go 1.22

require (
	staticcheck.example/go/tools v0.4.7
	gofumpt.example/gofumpt v0.6.0
)

replace gofumpt.example/gofumpt => gofumpt.mirror-proxy.invalid/gofumpt v0.6.0-patched
