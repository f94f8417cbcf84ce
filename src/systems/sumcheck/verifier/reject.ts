/** Why the verifier refuses a proof that decodes: thrown inside the verifier, returned as `{ valid: false, reason }`. */
export class Reject extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "Reject";
  }
}
