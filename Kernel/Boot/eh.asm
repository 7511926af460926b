; The machine side of exception handling (Core/Runtime/ExceptionHandling does the rest in C#):
;   - throw helpers ilc calls by name (RhpThrowEx for `throw`, RhpRethrow for `throw;`) and the entry the
;     CPU-fault path resumes into (RhpThrowHwEx): each saves the throw site's registers as a RegisterSet
;     (rip, rsp, rbp, rbx, r12, r13, r14, r15: offsets 0..56) on the stack and calls the managed dispatcher;
;   - funclet callers: a catch, finally or filter funclet runs with the callee-saved registers (rbp above all:
;     funclets reach their method's locals through it) of the frame it belongs to.
; Written for this kernel after reading how NativeAOT does it (dotnet/runtime nativeaot/Runtime/amd64/
; ExceptionHandling.S); the frame layouts below are our own and Core/Runtime/ExceptionHandling/
; StackFrameIterator.cs unwinds through them by these constants.

bits 64
default rel
section .text

extern RhThrowEx, RhRethrow, RhThrowHwEx

; Pushes a RegisterSet with rip = rcx and rsp = rax (pushed last, so it ends at the lowest address).
%macro PUSH_REGISTER_SET 0
    push r15
    push r14
    push r13
    push r12
    push rbx
    push rbp
    push rax
    push rcx
%endmacro

; void RhpThrowEx(object exception): [rsp] is the return address in the throwing method.
global RhpThrowEx, RhpThrowEx2
RhpThrowEx:
    lea rax, [rsp + 8]              ; the throw site's rsp once this call has returned
    mov rcx, [rsp]                  ; the throw site: the return address
    sub rsp, 8                      ; 8 (call) + 8 + 64 (RegisterSet): rsp 16-byte aligned at the call below
    PUSH_REGISTER_SET
    mov rsi, rsp                    ; RhThrowEx(exception, RegisterSet*)
    call RhThrowEx
RhpThrowEx2:
    int3                            ; dispatch never returns here

; void RhpRethrow(void): `throw;` inside a catch funclet rethrows the exception that funclet is handling.
global RhpRethrow
RhpRethrow:
    lea rax, [rsp + 8]
    mov rcx, [rsp]
    sub rsp, 8
    PUSH_REGISTER_SET
    mov rdi, rsp                    ; RhRethrow(RegisterSet*)
    call RhRethrow
    int3

; Entered through iretq from the CPU-exception handler (Hal/Interrupts/FaultToException.cs), on the faulting
; code's own stack with its registers, except: rdi = what the fault becomes (HardwareFault code), rsi = the
; faulting instruction (or, for a fault in a leaf helper, the return address into its managed caller).
global RhpThrowHwEx
RhpThrowHwEx:
    cld                             ; a fault inside a backward memmove leaves DF set; the ABI wants it clear
    mov rax, rsp                    ; the faulting frame's rsp
    and rsp, -16                    ; any alignment at a fault; 64 bytes of RegisterSet keep it aligned
    mov rcx, rsi
    PUSH_REGISTER_SET
    mov rsi, rsp                    ; RhThrowHwEx(code, RegisterSet*)
    call RhThrowHwEx
    int3

; Loads the callee-saved registers of the RegisterSet at %1.
%macro LOAD_CALLEE_SAVED 1
    mov rbp, [%1 + 16]
    mov rbx, [%1 + 24]
    mov r12, [%1 + 32]
    mov r13, [%1 + 40]
    mov r14, [%1 + 48]
    mov r15, [%1 + 56]
%endmacro

; void RhpCallCatchFunclet(object exception, void* handler, RegisterSet* frame, ExInfo* exInfo, ExInfo** chainHead)
; Does not return. The catch funclet returns the address to resume at, inside its method; the stack is cut
; back to the frame's rsp, exception records now below the stack pointer leave the chain (ExInfo.Previous is
; at offset 0), and execution continues there with the frame's callee-saved registers.
; At the call, [rsp] holds exInfo: an exception thrown inside the funclet unwinds from it to its method's frame.
global RhpCallCatchFunclet, RhpCallCatchFunclet2
RhpCallCatchFunclet:
    sub rsp, 24                     ; entry rsp = 8 mod 16; three slots make it 0 at the call
    mov [rsp], rcx
    mov [rsp + 8], rdx
    mov [rsp + 16], r8
    mov r9, rsi
    LOAD_CALLEE_SAVED rdx
    mov rax, rdi                    ; the exception object in every register a funclet might take it in
    mov rsi, rdi
    call r9
RhpCallCatchFunclet2:
    mov rdx, [rsp + 8]
    mov r8, [rsp + 16]
    mov rcx, [rdx + 8]              ; the frame's rsp: where execution resumes
    mov rdi, [r8]
.pop:
    test rdi, rdi
    jz .popped
    cmp rdi, rcx
    jae .popped
    mov rdi, [rdi]
    jmp .pop
.popped:
    mov [r8], rdi
    mov rsp, rcx
    jmp rax

; void RhpCallFinallyFunclet(void* handler, RegisterSet* frame, ExInfo* exInfo): runs a finally or fault
; funclet during the second pass and returns. At the call, [rsp] holds exInfo, as for catch.
global RhpCallFinallyFunclet, RhpCallFinallyFunclet2
RhpCallFinallyFunclet:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    sub rsp, 8                      ; 8 + 48 + 8: aligned at the call
    mov [rsp], rdx
    mov rax, rdi
    LOAD_CALLEE_SAVED rsi
    call rax
RhpCallFinallyFunclet2:
    add rsp, 8
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; int RhpCallFilterFunclet(object exception, void* filter, RegisterSet* frame): runs a filter during the first
; pass; nonzero means "this clause handles it". Only rbp is the frame's: a filter reaches its method's locals
; through rbp and keeps every other callee-saved register itself. The unwinder knows this frame: [rsp] = the
; dispatcher's rbp, then the return address.
global RhpCallFilterFunclet, RhpCallFilterFunclet2
RhpCallFilterFunclet:
    push rbp
    mov rbp, [rdx + 16]
    mov rax, rdi
    mov rcx, rsi
    mov rsi, rdi
    call rcx
RhpCallFilterFunclet2:
    pop rbp
    ret

; void eh_known_addresses(ulong* out): code addresses the unwinder recognises, in the order of
; Core/Runtime/ExceptionHandling/KnownCode.cs.
extern leaf_helpers_start, leaf_helpers_end, interface_dispatch_null_probe
global eh_known_addresses
eh_known_addresses:
    lea rax, [RhpCallCatchFunclet2]
    mov [rdi], rax
    lea rax, [RhpCallFinallyFunclet2]
    mov [rdi + 8], rax
    lea rax, [RhpCallFilterFunclet2]
    mov [rdi + 16], rax
    lea rax, [leaf_helpers_start]
    mov [rdi + 24], rax
    lea rax, [leaf_helpers_end]
    mov [rdi + 32], rax
    lea rax, [RhpThrowHwEx]
    mov [rdi + 40], rax
    lea rax, [interface_dispatch_null_probe]
    mov [rdi + 48], rax
    ret

; byte* eh_frame_hdr_start(void): ld's search table over every FDE (linker.ld keeps it; ld --eh-frame-hdr).
extern __eh_frame_hdr_start
global eh_frame_hdr_start
eh_frame_hdr_start:
    lea rax, [__eh_frame_hdr_start]
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
