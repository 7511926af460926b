; The machine side of the garbage collector (Core/Runtime/GarbageCollection does the rest in C#).
;
; A collection scans the stack conservatively, so every reference the interrupted managed code holds must be in
; memory the scan reads: callee-saved registers of the allocating frames may hold references that no stack slot
; has yet, so they are pushed here before the collector runs (caller-saved registers are dead across the call
; into the allocator, by the System V ABI). Interrupts stay off for the whole collection: a handler that stored a
; reference into an object already scanned would hide it from the marker.

bits 64
default rel
section .text

extern GcCollectFromStack

; void gc_collect_saving_registers(void)
global gc_collect_saving_registers
gc_collect_saving_registers:
    push rbp
    mov rbp, rsp
    push rbx
    push r12
    push r13
    push r14
    push r15
    pushfq                          ; rsp is 16-byte aligned here (return address + 7 pushes)
    cli
    mov rdi, rsp                    ; the lowest address the scan reads: the registers just pushed are above it
    call GcCollectFromStack
    popfq                           ; interrupts back as they were
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; nuint gc_stack_top(nuint address): the top (exclusive end) of the kernel stack that holds the address
; (the boot stack or an IST stack), or 0 when it is in none of them.
extern boot_stack_bottom, boot_stack_top, ist1_stack, ist2_stack, ist3_stack
IST_STACK_BYTES equ 32 * 1024
global gc_stack_top
gc_stack_top:
    lea rax, [rel boot_stack_bottom]
    cmp rdi, rax
    jb .ist1
    lea rax, [rel boot_stack_top]
    cmp rdi, rax
    jb .found
.ist1:
    lea rax, [rel ist1_stack]
    cmp rdi, rax
    jb .ist2
    add rax, IST_STACK_BYTES
    cmp rdi, rax
    jb .found
.ist2:
    lea rax, [rel ist2_stack]
    cmp rdi, rax
    jb .ist3
    add rax, IST_STACK_BYTES
    cmp rdi, rax
    jb .found
.ist3:
    lea rax, [rel ist3_stack]
    cmp rdi, rax
    jb .none
    add rax, IST_STACK_BYTES
    cmp rdi, rax
    jb .found
.none:
    xor eax, eax
.found:
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
