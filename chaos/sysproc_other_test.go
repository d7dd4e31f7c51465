//go:build !linux

package chaos

import "syscall"

// sysProcAttr is nil: only Linux can tie a child's life to its parent's.
func sysProcAttr() *syscall.SysProcAttr { return nil }
