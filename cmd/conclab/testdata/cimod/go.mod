module example.com/cimod

go 1.22
