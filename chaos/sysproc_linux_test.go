//go:build linux

package chaos

import "syscall"

// sysProcAttr has the kernel SIGKILL a worker when the test process dies
// without cleaning up (a panic, or go test's -timeout).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
