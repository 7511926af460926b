#!/bin/sh
# Prints the Debian packages that the kernel build needs and this machine lacks (nothing if all present).
missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need nasm nasm
need ld binutils
need nm binutils
need grub-mkrescue grub-common
need xorriso xorriso
need mformat mtools
[ -d /usr/lib/grub/i386-pc ] || missing="$missing grub-pc-bin"
# one package name once
echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' '
