; Small machine-level routines for the runtime and the HAL. Each follows the System V AMD64 ABI
; (arguments in rdi, rsi, rdx, rcx, r8, r9; result in rax) so C# calls it directly through
; [RuntimeImport]. Nothing here keeps state except the GDT/TSS/IDT and the boot arena.

bits 64
default rel

section .data
align 16
; GDT: null, 64-bit code (0x08), data (0x10), TSS (0x18, 16 bytes). Intel SDM Vol. 3A §3.4.5, §7.2.3.
global gdt64
gdt64:
    dq 0
    dq 0x00AF9A000000FFFF           ; code: present, DPL0, executable, long mode
    dq 0x00CF92000000FFFF           ; data: present, writable
gdt64_tss:
    dq 0                            ; filled by cpu_install_tss
    dq 0
gdt64_end:

global gdt64_pointer32
gdt64_pointer32:                    ; lgdt operand used in 32-bit mode (base is below 4 GiB)
    dw gdt64_end - gdt64 - 1
    dd gdt64
gdt64_pointer64:
    dw gdt64_end - gdt64 - 1
    dq gdt64

global __security_cookie
__security_cookie: dq 0x2B992DDFA232A5E1
global RhpTrapThreads
RhpTrapThreads: dd 0

section .bss
alignb 16
tss:            resb 104
; Interface dispatch's cache (InterfaceDispatch.cs): 1024 entries of {cell, type, target}, read by the stub below
; and filled by the managed resolver.
alignb 16
global interface_dispatch_cache
interface_dispatch_cache: resq 3 * 1024
; IST1 double fault, IST2 other exceptions, IST3 NMI; each 32 KiB stack sits on an unmapped guard page
; (boot.asm unmaps it), so running off its end faults instead of overwriting what lies below.
alignb 4096
global ist1_guard, ist2_guard, ist3_guard, ist1_stack, ist2_stack, ist3_stack
ist1_guard:     resb 4096
ist1_stack:     resb 32 * 1024
ist2_guard:     resb 4096
ist2_stack:     resb 32 * 1024
ist3_guard:     resb 4096
ist3_stack:     resb 32 * 1024
alignb 4096
global boot_arena
; Objects made before the page allocator exists (GC static bases, the first few dozen objects: about 4 KiB
; today); they live for good and are roots of every collection. 2 MiB until the collector came.
boot_arena:     resb 64 * 1024
boot_arena_end_label:
idt:            resb 256 * 16

section .text

; ---- port I/O ----
global cpu_outb, cpu_inb, cpu_outw, cpu_inw, cpu_outd, cpu_ind, cpu_outsb
cpu_outb:
    mov edx, edi
    mov eax, esi
    out dx, al
    ret
; void cpu_outsb(ushort port, byte* bytes, ulong count): rep outsb, one instruction for the whole run.
; Under a hypervisor each OUT is a VM exit; a string OUT is emulated with its repeat count at once.
cpu_outsb:
    mov rcx, rdx
    mov edx, edi
    cld
    rep outsb
    ret
cpu_inb:
    mov edx, edi
    xor eax, eax
    in al, dx
    ret
cpu_outw:
    mov edx, edi
    mov eax, esi
    out dx, ax
    ret
cpu_inw:
    mov edx, edi
    xor eax, eax
    in ax, dx
    ret
cpu_outd:
    mov edx, edi
    mov eax, esi
    out dx, eax
    ret
cpu_ind:
    mov edx, edi
    in eax, dx
    ret

; ---- MMIO: a call per access keeps the compiler from caching or merging device reads/writes ----
global mmio_read8, mmio_read16, mmio_read32, mmio_read64, mmio_write8, mmio_write16, mmio_write32, mmio_write64
mmio_read8:
    movzx eax, byte [rdi]
    ret
mmio_read16:
    movzx eax, word [rdi]
    ret
mmio_read32:
    mov eax, [rdi]
    ret
mmio_read64:
    mov rax, [rdi]
    ret
mmio_write8:
    mov [rdi], sil
    ret
mmio_write16:
    mov [rdi], si
    ret
mmio_write32:
    mov [rdi], esi
    ret
mmio_write64:
    mov [rdi], rsi
    ret

; ---- CPU control ----
global cpu_halt_forever, cpu_hlt, cpu_sti, cpu_cli, cpu_pause, cpu_sti_hlt
cpu_halt_forever:
    cli
.again:
    hlt
    jmp .again
cpu_hlt:
    hlt
    ret
cpu_sti:
    sti
    ret
cpu_cli:
    cli
    ret
cpu_pause:
    pause
    ret
cpu_sti_hlt:                        ; enable interrupts and wait atomically (sti shadow covers hlt)
    sti
    hlt
    ret

global cpu_boot_tsc
extern boot_tsc
; The TSC as the boot stub read it at the kernel's first instruction (0 if it did not).
cpu_boot_tsc:
    mov rax, [rel boot_tsc]
    ret

global cpu_rdrand64
; int cpu_rdrand64(ulong* out): 1 and a random word from the CPU's DRBG, or 0 when RDRAND kept failing. Intel's
; DRNG guide: retry up to 10 times (a failure only means the DRBG was momentarily drained). Call only where
; CPUID.01H:ECX.RDRAND[bit 30] is set.
cpu_rdrand64:
    mov ecx, 10
.retry:
    rdrand rax
    jc .done
    dec ecx
    jnz .retry
    xor eax, eax
    ret
.done:
    mov [rdi], rax
    mov eax, 1
    ret

global cpu_rdtsc, cpu_rdmsr, cpu_wrmsr, cpu_cpuid, cpu_read_cr0, cpu_read_cr2, cpu_read_cr3, cpu_read_cr4
global cpu_read_rsp, cpu_read_rflags, cpu_mfence, cpu_lfence, cpu_sfence
cpu_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
cpu_rdmsr:                          ; ulong cpu_rdmsr(uint msr)
    mov ecx, edi
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret
cpu_wrmsr:                          ; void cpu_wrmsr(uint msr, ulong value)
    mov ecx, edi
    mov eax, esi
    mov rdx, rsi
    shr rdx, 32
    wrmsr
    ret
cpu_cpuid:                          ; void cpu_cpuid(uint leaf, uint subleaf, uint* out4)
    push rbx
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret
cpu_read_cr0:
    mov rax, cr0
    ret
cpu_read_cr2:
    mov rax, cr2
    ret
cpu_read_cr3:
    mov rax, cr3
    ret
cpu_read_cr4:
    mov rax, cr4
    ret
cpu_read_rsp:
    lea rax, [rsp + 8]
    ret
cpu_read_rflags:
    pushfq
    pop rax
    ret
cpu_mfence:
    mfence
    ret
global cpu_compiler_barrier
cpu_compiler_barrier:               ; an opaque call: the compiler cannot move memory accesses across it
    ret
cpu_lfence:
    lfence
    ret
cpu_sfence:
    sfence
    ret

; ---- atomic operations ----
; Atomic operations on memory shared with another agent (the hypervisor writes event bits and grant flags
; from other CPUs). SysV arguments: rdi = address, rsi / rdx = operands.
global atomic_xchg64, atomic_btr64, atomic_bts64, atomic_cmpxchg16
atomic_xchg64:                      ; ulong atomic_xchg64(ulong* p, ulong value): old value
    mov rax, rsi
    xchg [rdi], rax                 ; xchg with memory is always locked
    ret
atomic_btr64:                       ; int atomic_btr64(ulong* p, int bit): 1 if the bit was set
    xor eax, eax
    lock btr qword [rdi], rsi
    setc al
    ret
atomic_bts64:                       ; void atomic_bts64(ulong* p, int bit)
    lock bts qword [rdi], rsi
    ret
atomic_cmpxchg16:                   ; ushort atomic_cmpxchg16(ushort* p, ushort expected, ushort value): old value
    mov eax, esi
    lock cmpxchg word [rdi], dx
    movzx eax, ax
    ret

; Xen hypercall through the hypercall page Xen filled in (one 32-byte stub per hypercall number, xen.h).
; long xen_hypercall(void* page, long number, ulong a0, ulong a1, ulong a2); the 64-bit hypercall ABI takes
; its arguments in rdi, rsi, rdx (then r10, r8) and returns in rax.
global xen_hypercall
xen_hypercall:
    mov rax, rsi
    shl rax, 5
    add rax, rdi
    mov rdi, rdx
    mov rsi, rcx
    mov rdx, r8
    call rax
    ret

; ---- leaf helpers ----
; Everything from here to leaf_helpers_end is called from managed code and never moves rsp, so at any
; instruction [rsp] is the return address into the managed caller. A null-pointer fault in one of them (a
; write barrier storing into a field of a null object, a copy from a null span) is reported as a
; NullReferenceException at that call (Hal/Interrupts/FaultToException.cs), as NativeAOT does for its
; write barriers.
global leaf_helpers_start, leaf_helpers_end
leaf_helpers_start:

; ---- memory (the compiler also calls these for block copies and zeroing) ----
global memset, memmove, memcpy
; Eight bytes per iteration: under TCG every iteration of a rep string instruction costs about the same
; whatever its width, so qword moves and stores are about eight times faster than byte ones for the packet
; copies and the zeroing of new memory. The remaining n % 8 bytes go one at a time.
memset:                             ; void* memset(void* dst, int value, size_t n)
    ; 64 bytes per loop turn in four SSE stores, then qwords, then bytes. Under QEMU TCG every turn of a rep
    ; string instruction is a trip through the translated-block dispatcher, so an unrolled loop that stays in
    ; one block is several times faster there; on hardware both run at store bandwidth. xmm0 is caller-saved
    ; (SysV), and the interrupt path saves the SSE state (fxsave).
    mov r9, rdi
    movzx eax, sil
    mov r8, 0x0101010101010101
    imul rax, r8                    ; the byte in all eight lanes
    cmp rdx, 64
    jb .set_tail
    movq xmm0, rax
    punpcklqdq xmm0, xmm0
.set64:
    movdqu [rdi], xmm0
    movdqu [rdi + 16], xmm0
    movdqu [rdi + 32], xmm0
    movdqu [rdi + 48], xmm0
    add rdi, 64
    sub rdx, 64
    cmp rdx, 64
    jae .set64
.set_tail:
    mov rcx, rdx
    shr rcx, 3
    rep stosq
    mov rcx, rdx
    and rcx, 7
    rep stosb
    mov rax, r9
    ret
memcpy:
memmove:                            ; void* memmove(void* dst, void* src, size_t n)
    mov rax, rdi
    cmp rdi, rsi
    jbe .forward
    lea r8, [rsi + rdx]
    cmp rdi, r8
    jae .forward
    ; Overlapping with dst above src: copy backwards, the last n % 8 bytes first, then the qwords.
    lea rsi, [rsi + rdx - 1]
    lea rdi, [rdi + rdx - 1]
    std
    mov rcx, rdx
    and rcx, 7
    rep movsb
    sub rsi, 7                      ; now at the start of the last whole qword
    sub rdi, 7
    mov rcx, rdx
    shr rcx, 3
    rep movsq
    cld
    ret
.forward:
    ; 64 bytes per turn (see memset). Each turn loads its whole chunk before storing it, so a forward copy
    ; with dst below an overlapping src never reads a byte it has already overwritten.
    cmp rdx, 64
    jb .forward_tail
.forward64:
    movdqu xmm0, [rsi]
    movdqu xmm1, [rsi + 16]
    movdqu xmm2, [rsi + 32]
    movdqu xmm3, [rsi + 48]
    movdqu [rdi], xmm0
    movdqu [rdi + 16], xmm1
    movdqu [rdi + 32], xmm2
    movdqu [rdi + 48], xmm3
    add rsi, 64
    add rdi, 64
    sub rdx, 64
    cmp rdx, 64
    jae .forward64
.forward_tail:
    mov rcx, rdx
    shr rcx, 3
    rep movsq
    mov rcx, rdx
    and rcx, 7
    rep movsb
    ret

; Write barriers: without a GC there is no card table, so these are plain stores. They are written
; here, not in C#, because the JIT assumes they clobber almost no registers.
global RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef, RhpAssignRefAVLocation, RhpCheckedAssignRefAVLocation
RhpAssignRef:
RhpAssignRefAVLocation:
RhpCheckedAssignRef:
RhpCheckedAssignRefAVLocation:
    mov [rdi], rsi
    ret
RhpByRefAssignRef:                  ; *rdi = *rsi; rdi += 8; rsi += 8 (the JIT's contract)
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret

leaf_helpers_end:

; ---- RFC 1071 Internet checksum ----
global checksum_sum64
checksum_sum64:                     ; ulong checksum_sum64(const void* data, size_t qwords)
    ; One's-complement sum of `qwords` little-endian 64-bit words with end-around carry (RFC 1071 §2 (B), (C);
    ; an adc chain as in Linux's csum_partial): four words per turn, where the C# loop needed a compare and a
    ; conditional increment per word. The caller folds the result to 16 bits and handles the byte tail.
    xor eax, eax
    mov rcx, rsi
    shr rcx, 2
    jz .sum_words
.sum_turn:
    add rax, [rdi]
    adc rax, [rdi + 8]
    adc rax, [rdi + 16]
    adc rax, [rdi + 24]
    adc rax, 0
    add rdi, 32
    dec rcx
    jnz .sum_turn
.sum_words:
    and rsi, 3
    jz .sum_done
.sum_word:
    add rax, [rdi]
    adc rax, 0
    add rdi, 8
    dec rsi
    jnz .sum_word
.sum_done:
    ret

; ---- image layout, for the runtime ----
extern __start___modules, __stop___modules, __kernel_end
global modules_start, modules_end, boot_arena_start, boot_arena_end, kernel_image_end, kernel_image_start
extern __kernel_start
modules_start:
    lea rax, [rel __start___modules]
    ret
modules_end:
    lea rax, [rel __stop___modules]
    ret
boot_arena_start:
    lea rax, [rel boot_arena]
    ret
boot_arena_end:
    lea rax, [rel boot_arena_end_label]
    ret
kernel_image_end:
    lea rax, [rel __kernel_end]
    ret
kernel_image_start:
    lea rax, [rel __kernel_start]
    ret
global interface_dispatch_cache_start
interface_dispatch_cache_start:
    lea rax, [rel interface_dispatch_cache]
    ret

; ---- runtime helpers the compiler calls (see ../shared/TOOLCHAIN.md) ----
global RhpReversePInvoke, RhpReversePInvokeReturn, RhpPInvoke, RhpPInvokeReturn, RhpGcPoll
RhpReversePInvoke:                  ; no GC, no thread suspension: transitions are no-ops
RhpReversePInvokeReturn:
RhpPInvoke:
RhpPInvokeReturn:
RhpGcPoll:
    ret

; Throwing lives in eh.asm.
extern ManagedFailFast
global RhpFallbackFailFast
RhpFallbackFailFast:
    mov rdi, [rsp]
    jmp ManagedFailFast

; Interface dispatch: call sites do `lea r11, [cell]; call [r11]`. Preserve every argument register
; (integer and xmm0-7), ask the managed resolver for the target, then tail-jump to it.
extern RhpResolveInterfaceDispatch
global RhpInitialDynamicInterfaceDispatch
RhpInitialDynamicInterfaceDispatch:
    ; A call on a null reference faults here, before anything is pushed, so [rsp] is still the call site's
    ; return address and the fault becomes a NullReferenceException there (interface_dispatch_null_probe).
global interface_dispatch_null_probe
interface_dispatch_null_probe:
    mov rax, [rdi]
    ; The cache first, in registers the call does not pass arguments in (rax, r10; r11 keeps the cell): the entry
    ; at ((cell ^ type) >> 4) & 1023, the hash InterfaceDispatch.Resolve fills it by. A hit jumps straight to the
    ; target; before, every interface call saved and restored 6 registers and 8 xmm registers around a managed call.
    mov r10, r11
    xor r10, rax
    shr r10, 4
    and r10d, 1023
    lea r10, [r10 + r10 * 2]
    shl r10, 3
    push rcx
    lea rcx, [rel interface_dispatch_cache]
    add r10, rcx
    pop rcx
    cmp [r10], r11
    jne .resolve
    cmp [r10 + 8], rax
    jne .resolve
    jmp [r10 + 16]
.resolve:
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 8 * 16 + 8             ; xmm0-7 (16 bytes each) + realign to 16
    movdqu [rsp + 0], xmm0
    movdqu [rsp + 16], xmm1
    movdqu [rsp + 32], xmm2
    movdqu [rsp + 48], xmm3
    movdqu [rsp + 64], xmm4
    movdqu [rsp + 80], xmm5
    movdqu [rsp + 96], xmm6
    movdqu [rsp + 112], xmm7
    mov rsi, r11                    ; (this, cell)
    call RhpResolveInterfaceDispatch
    mov r11, rax
    movdqu xmm0, [rsp + 0]
    movdqu xmm1, [rsp + 16]
    movdqu xmm2, [rsp + 32]
    movdqu xmm3, [rsp + 48]
    movdqu xmm4, [rsp + 64]
    movdqu xmm5, [rsp + 80]
    movdqu xmm6, [rsp + 96]
    movdqu xmm7, [rsp + 112]
    add rsp, 8 * 16 + 8
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    jmp r11

; ---- descriptor tables ----
; void cpu_install_tss(void): loads the 64-bit GDT with a TSS whose IST1..3 point at private stacks.
global cpu_install_tss
cpu_install_tss:
    lea rax, [rel ist1_stack + 32 * 1024]
    mov [rel tss + 36], rax         ; IST1
    lea rax, [rel ist2_stack + 32 * 1024]
    mov [rel tss + 44], rax         ; IST2
    lea rax, [rel ist3_stack + 32 * 1024]
    mov [rel tss + 52], rax         ; IST3
    mov word [rel tss + 102], 104   ; I/O map base past the limit: no I/O bitmap

    lea rax, [rel tss]
    mov rcx, 103                    ; limit
    mov rdx, rax
    and rdx, 0xFFFF
    shl rdx, 16
    or rcx, rdx                     ; base 15:0
    mov rdx, rax
    shr rdx, 16
    and rdx, 0xFF
    shl rdx, 32
    or rcx, rdx                     ; base 23:16
    mov rdx, 0x89                   ; present, type 9 (available 64-bit TSS)
    shl rdx, 40
    or rcx, rdx
    mov rdx, rax
    shr rdx, 24
    and rdx, 0xFF
    shl rdx, 56
    or rcx, rdx                     ; base 31:24
    mov [rel gdt64_tss], rcx
    mov rdx, rax
    shr rdx, 32
    mov [rel gdt64_tss + 8], rdx    ; base 63:32

    lgdt [rel gdt64_pointer64]
    mov ax, 0x18
    ltr ax
    ret

; Interrupt entry. Each vector's stub pushes a zero error code when the CPU does not, then the
; vector number, and joins the common path, which saves every register and the SSE state (managed
; code uses xmm registers), calls the managed dispatcher with a pointer to the frame, and returns.
extern InterruptDispatch
%macro ISR_NOERR 1
isr_%1:
    push 0
    push %1
    jmp isr_common
%endmacro
%macro ISR_ERR 1
isr_%1:
    push %1
    jmp isr_common
%endmacro

%assign v 0
%rep 256
%if v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
    ISR_ERR v
%else
    ISR_NOERR v
%endif
%assign v v + 1
%endrep

isr_common:
    ; frame layout (ascending): r15 .. rax, vector, error code, rip, cs, rflags, rsp, ss
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp                    ; frame pointer argument
    mov rbx, rsp                    ; callee-saved: the stack before alignment
    and rsp, ~15
    sub rsp, 512
    fxsave [rsp]
    cld
    call InterruptDispatch
    fxrstor [rsp]
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                     ; vector and error code
    iretq

section .data
align 8
isr_table:
%assign v 0
%rep 256
    dq isr_ %+ v
%assign v v + 1
%endrep

section .text
; void cpu_install_idt(void): 256 interrupt gates; exceptions on IST stacks (#DF IST1, NMI IST3,
; the rest of vectors 0-31 IST2); external interrupts on the current stack.
global cpu_install_idt
cpu_install_idt:
    lea r8, [rel idt]
    lea r9, [rel isr_table]
    xor ecx, ecx
.next:
    mov rax, [r9 + rcx * 8]
    mov rdx, rax
    and rdx, 0xFFFF                 ; offset 15:0
    or rdx, (0x08 << 16)            ; code selector
    xor r10, r10
    cmp ecx, 32
    jae .no_ist
    mov r10, 2
    cmp ecx, 8
    jne .not_df
    mov r10, 1
.not_df:
    cmp ecx, 2
    jne .no_ist
    mov r10, 3
.no_ist:
    shl r10, 32
    or rdx, r10                     ; IST index
    mov r10, 0x8E                   ; present, DPL0, 64-bit interrupt gate
    shl r10, 40
    or rdx, r10
    mov r10, rax
    shr r10, 16
    and r10, 0xFFFF
    shl r10, 48
    or rdx, r10                     ; offset 31:16
    mov [r8], rdx
    mov r10, rax
    shr r10, 32
    mov [r8 + 8], r10               ; offset 63:32
    add r8, 16
    inc ecx
    cmp ecx, 256
    jne .next
    sub rsp, 16
    mov word [rsp], 256 * 16 - 1
    lea rax, [rel idt]
    mov [rsp + 2], rax
    lidt [rsp]
    add rsp, 16
    ret

; Deliberate faults for the panic tests.
global cpu_fault_ud, cpu_fault_gp, cpu_fault_double, cpu_fault_divide
cpu_fault_ud:
    ud2
    ret
cpu_fault_gp:
    mov rax, 0x8000000000000000      ; non-canonical address -> #GP
    mov rax, [rax]
    ret
cpu_fault_divide:
    xor ecx, ecx
    mov eax, 1
    xor edx, edx
    div ecx
    ret
cpu_fault_double:
    ; Shrink the IDT to vectors 0-8, then raise #GP (13): delivering it finds no gate, which is a
    ; second contributory fault while delivering the first, so the CPU raises #DF (SDM Vol. 3A §6.15,
    ; Table 6-5). #DF runs on IST1 and prints the panic.
    sub rsp, 16
    mov word [rsp], 9 * 16 - 1
    lea rax, [rel idt]
    mov [rsp + 2], rax
    lidt [rsp]
    add rsp, 16
    mov rax, 0x8000000000000000
    mov rax, [rax]
    ret


section .text
; void cpu_soft_irq(int irq): raises the vector of legacy IRQ 0-15 in software (int 32+irq), so tests can
; exercise the dispatch path of a line without the device. Out-of-range input does nothing.
global cpu_soft_irq
cpu_soft_irq:
    cmp edi, 16
    jae .done
    lea rax, [rel soft_irq_table]
    mov rax, [rax + rdi * 8]
    jmp rax
.done:
    ret
%assign i 0
%rep 16
soft_irq_ %+ i:
    int 32 + i
    ret
%assign i i + 1
%endrep
section .data
align 8
soft_irq_table:
%assign i 0
%rep 16
    dq soft_irq_ %+ i
%assign i i + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
