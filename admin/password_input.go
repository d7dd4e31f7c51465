package admin

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// maxPasswordBytes bounds a password read from a pipe.
const maxPasswordBytes = 1024

// ReadPassword reads the password `steady admin hash-password` hashes.
// From a terminal it asks twice on prompt with echo off; from a pipe or
// file it reads one line (the line end is not part of it). A password
// shorter than MinPasswordLength characters is refused.
func ReadPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return readFromTerminal(int(f.Fd()), prompt)
	}
	line, err := bufio.NewReaderSize(io.LimitReader(in, maxPasswordBytes+2), maxPasswordBytes+2).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if len(line) > maxPasswordBytes+1 {
		return "", fmt.Errorf("the password is longer than %d bytes", maxPasswordBytes)
	}
	return checkPassword(strings.TrimRight(line, "\r\n"))
}

func readFromTerminal(fd int, prompt io.Writer) (string, error) {
	fmt.Fprint(prompt, "Password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	fmt.Fprint(prompt, "Again: ")
	again, err := term.ReadPassword(fd)
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if string(first) != string(again) {
		return "", errors.New("the two passwords differ; nothing was hashed")
	}
	return checkPassword(string(first))
}

func checkPassword(p string) (string, error) {
	if !utf8.ValidString(p) {
		return "", errors.New("the password is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(p); n < MinPasswordLength {
		return "", fmt.Errorf("the password has %d characters; use at least %d", n, MinPasswordLength)
	}
	return p, nil
}
