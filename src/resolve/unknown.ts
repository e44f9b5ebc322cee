/** A fact the model could not decide, with where and why. Never a guess. */
export interface Unknown {
  file: string;
  line: number;
  why: string;
}
