/** Exit codes (docs/CONTRACTS.md); cancelled is 128 + SIGINT, as shells report an interrupted command. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, cancelled: 130 } as const;

/** The user's input is wrong (file, flags, stdin): exit 2 with this message. */
export class BadInput extends Error {
  override readonly name = 'BadInput';
}
