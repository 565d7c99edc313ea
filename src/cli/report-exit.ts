/** Ends the run with a code after the report was printed: not an error message. */
export class ReportExit extends Error {
  constructor(readonly exitCode: number) {
    super(`report exit ${exitCode}`);
  }
}
