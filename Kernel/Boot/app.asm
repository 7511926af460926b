; The application's entry, when the image has one. A project built with Cosmos.Sdk is an executable: ilc then emits
; its startup code (StartupCodeMain, exported as __managed__Main(int argc, char** argv)), which sets up the command
; line, calls the program's Main and returns its exit code. The bare kernel image is a library and has no such
; symbol, so it is declared weak: the static link resolves a missing one to 0, and app_entry_address says so.
bits 64
default rel

extern __managed__Main:weak

global app_entry_address, app_entry_call

section .text

; nuint app_entry_address(void): the address of __managed__Main, or 0 in an image without an application.
app_entry_address:
    mov rax, __managed__Main
    ret

; int app_entry_call(int argc, char** argv): a tail jump, so no frame of ours sits between the kernel's caller
; and the application's startup code (an exception the application does not catch unwinds into the kernel's
; managed caller, which reports it).
app_entry_call:
    mov rax, __managed__Main
    jmp rax

; Not an executable stack (ld warns without this note).
section .note.GNU-stack noalloc noexec nowrite progbits
