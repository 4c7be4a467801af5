// A small bytecode interpreter (switch dispatch) running a counting loop:
// the kind of indirect-branch-heavy code interpreters themselves are.
enum { PUSH, LOAD, STORE, ADD, MUL, MOD, JLT, JMP, HALT };
static const int program[] = {
    PUSH, 0, STORE, 0,          // i = 0
    PUSH, 0, STORE, 1,          // acc = 0
    /* 8: loop */
    LOAD, 0, LOAD, 0, MUL,      // i * i
    LOAD, 1, ADD,               // + acc
    PUSH, 1000003, MOD,         // % p
    STORE, 1,                   // acc = ...
    LOAD, 0, PUSH, 1, ADD, STORE, 0,  // i++
    LOAD, 0, PUSH, 600000, JLT, 8,   // if i < n goto loop
    HALT};
int run(void) {
  int stack[16], sp = 0, vars[2] = {0, 0}, pc = 0;
  for (;;) {
    switch (program[pc]) {
      case PUSH: stack[sp++] = program[pc + 1]; pc += 2; break;
      case LOAD: stack[sp++] = vars[program[pc + 1]]; pc += 2; break;
      case STORE: vars[program[pc + 1]] = stack[--sp]; pc += 2; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; pc++; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; pc++; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; pc++; break;
      case JLT: sp -= 2; pc = stack[sp] < stack[sp + 1] ? program[pc + 1] : pc + 2; break;
      case JMP: pc = program[pc + 1]; break;
      default: return vars[1];
    }
  }
}
