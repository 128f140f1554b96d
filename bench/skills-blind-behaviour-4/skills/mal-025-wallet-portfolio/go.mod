module example.invalid/wallet-portfolio

go 1.22
