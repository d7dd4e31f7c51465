package main

// Embed the IANA time zone database so the binary works in minimal
// containers and on machines without /usr/share/zoneinfo.
import _ "time/tzdata"
