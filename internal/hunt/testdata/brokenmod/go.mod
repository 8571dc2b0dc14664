module example.com/brokenmod

go 1.22
