; Boot stub: multiboot2 header, 32-bit entry, long mode, then the managed kmain.
; Multiboot2 spec 1.0 §3.1 (header), §3.3 (machine state at entry: 32-bit protected mode,
; paging off, EAX = 0x36d76289, EBX = physical address of the boot information).

bits 32
section .multiboot
align 8
mb2_header:
    dd 0xE85250D6                   ; magic
    dd 0                            ; architecture: i386 protected mode
    dd mb2_header_end - mb2_header  ; header length
    dd -(0xE85250D6 + 0 + (mb2_header_end - mb2_header))
    ; end tag
    dw 0, 0
    dd 8
mb2_header_end:

; PVH entry (Xen's x86 boot ABI, also what QEMU's -kernel uses for an ELF with this note): the
; XEN_ELFNOTE_PHYS32_ENTRY note (type 18) names the 32-bit entry point. State at entry as for multiboot:
; protected mode, paging off; EBX = physical address of struct hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h).
section .note.Xen note alloc noexec
align 4
    dd 4                            ; name size ("Xen\0")
    dd 4                            ; descriptor size
    dd 18                           ; XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd pvh_start

section .boot32 progbits alloc exec
global _start, pvh_start
extern kmain
extern gdt64_pointer32
pvh_start:
    cli
    mov eax, 0x336ec578             ; XEN_HVM_START_MAGIC_VALUE: tells kmain that EBX is hvm_start_info
_start:
    cli
    mov esp, boot_stack_top
    mov edi, eax                    ; multiboot2 or PVH magic -> first argument of kmain
    mov esi, ebx                    ; boot information        -> second argument
    rdtsc                           ; the kernel's first instant: log stamps and "serving N ms after start" count from here
    mov [boot_tsc], eax
    mov [boot_tsc + 4], edx

    ; Identity-map the first 4 GiB with 2 MiB pages: PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3.
    ; The tables live in .bss, which GRUB has zeroed (ELF NOBITS) before entry.
    mov eax, pdpt
    or eax, 0x3
    mov [pml4], eax
    mov ecx, 0
.fill_pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, page_directories
    or eax, 0x3
    mov [pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jne .fill_pdpt

    mov ecx, 0                      ; 2048 entries of 2 MiB
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                    ; present | writable | page size
    mov [page_directories + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                     ; high 32 bits of the physical address
    mov [page_directories + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .fill_pd

    ; The first 2 MiB use 4 KiB pages so that page 0 can stay unmapped: a null dereference
    ; (a field read through a null reference) then faults instead of reading the real-mode IVT.
    mov ecx, 1
.fill_pt0:
    mov eax, ecx
    shl eax, 12
    or eax, 0x3
    mov [page_table0 + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jne .fill_pt0
    mov eax, page_table0
    or eax, 0x3
    mov [page_directories], eax
    mov dword [page_directories + 4], 0

    mov eax, pml4
    mov cr3, eax
    mov eax, cr4
    or eax, (1 << 5)                ; PAE
    mov cr4, eax
    mov ecx, 0xC0000080             ; EFER
    rdmsr
    or eax, (1 << 8)                ; LME
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1 ; PG | WP | PE
    mov cr0, eax
    lgdt [gdt64_pointer32]
    jmp 0x08:long_mode_entry

bits 64
section .text
long_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax

    ; SSE must work before any managed code: ilc emits SSE2 (CR0.EM=0, CR0.MP=1, CR4.OSFXSR|OSXMMEXCPT).
    mov rax, cr0
    and rax, ~(1 << 2)
    or rax, (1 << 1)
    mov cr0, rax
    mov rax, cr4
    or rax, (1 << 9) | (1 << 10)
    mov cr4, rax

    mov rsp, boot_stack_top         ; 16-byte aligned
    mov r12d, edi                   ; keep kmain's arguments (zero-extended) across the guard setup
    mov r13d, esi
    call unmap_stack_guards
    mov edi, r12d
    mov esi, r13d
    call kmain
.hang:
    cli
    hlt
    jmp .hang

; Guard pages: the 4 KiB page under each stack (the boot stack, the three IST stacks) is unmapped, so a
; stack that overflows faults on it; the page-fault report names the stack (CpuExceptionReport).
extern ist1_guard, ist2_guard, ist3_guard
unmap_stack_guards:
    lea rdi, [rel boot_stack_guard]
    call unmap_page
    lea rdi, [rel ist1_guard]
    call unmap_page
    lea rdi, [rel ist2_guard]
    call unmap_page
    lea rdi, [rel ist3_guard]
    call unmap_page
    mov rax, cr3                    ; a 2 MiB page may have become a page table: flush everything
    mov cr3, rax
    ret

; Unmaps the 4 KiB page at rdi (below 4 GiB, identity-mapped). A 2 MiB page that holds it is first split
; into a page table of 512 pages taken from guard_tables.
unmap_page:
    mov rax, rdi
    shr rax, 21
    lea rdx, [rel page_directories]
    lea rdx, [rdx + rax * 8]        ; its page-directory entry
    mov rcx, [rdx]
    test rcx, 0x80                  ; PS: a 2 MiB page
    jz .table
    mov r8, [rel guard_tables_used]
    cmp r8, 4
    jae .out_of_tables
    inc qword [rel guard_tables_used]
    shl r8, 12
    lea r9, [rel guard_tables]
    add r8, r9                      ; the new page table
    and rcx, ~0x1FFFFF              ; physical base of the 2 MiB page
    or rcx, 0x3                     ; present | writable
    xor eax, eax
.fill:
    mov [r8 + rax * 8], rcx
    add rcx, 4096
    inc eax
    cmp eax, 512
    jne .fill
    mov rcx, r8
    or rcx, 0x3
    mov [rdx], rcx
.table:
    mov rcx, [rdx]
    and rcx, ~0xFFF                 ; the page table
    mov rax, rdi
    shr rax, 12
    and rax, 511
    mov qword [rcx + rax * 8], 0
    invlpg [rdi]
.out_of_tables:                     ; cannot happen with four guards; the stack then simply has no guard
    ret

; ulong cpu_stack_guard(int index): the guard page under stack 0 (boot), 1-3 (IST1-3); 0 past the end.
global cpu_stack_guard
cpu_stack_guard:
    xor eax, eax
    cmp edi, 0
    jne .ist1
    lea rax, [rel boot_stack_guard]
    ret
.ist1:
    cmp edi, 1
    jne .ist2
    lea rax, [rel ist1_guard]
    ret
.ist2:
    cmp edi, 2
    jne .ist3
    lea rax, [rel ist2_guard]
    ret
.ist3:
    cmp edi, 3
    jne .none
    lea rax, [rel ist3_guard]
.none:
    ret

; void cpu_map_null_page(int present): maps or unmaps physical page 0 at virtual 0. The kernel keeps it
; unmapped (null dereferences fault); a PVH loader may leave its start info there, so it is mapped while read.
bits 64
section .text
global cpu_map_null_page
cpu_map_null_page:
    xor eax, eax
    test edi, edi
    jz .store
    mov eax, 0x3                    ; present | writable, physical 0
.store:
    mov [rel page_table0], rax
    invlpg [0]
    ret

section .data
global boot_tsc
align 8
boot_tsc:           dq 0
guard_tables_used:  dq 0

section .bss
alignb 4096
pml4:               resb 4096
pdpt:               resb 4096
page_directories:   resb 4096 * 4
page_table0:        resb 4096
guard_tables:       resb 4096 * 4       ; page tables for 2 MiB pages split around a guard page
global boot_stack_bottom, boot_stack_guard
boot_stack_guard:   resb 4096           ; unmapped: the boot stack's overflow faults here
boot_stack_bottom:  resb 256 * 1024
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
