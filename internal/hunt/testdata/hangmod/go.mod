module example.com/hangmod

go 1.22
