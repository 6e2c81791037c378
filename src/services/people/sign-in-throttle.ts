/**
 * Failed sign-ins counted per account and per address in fixed windows, in memory (per process), bounded. A person
 * whose account is under attack can still sign in from elsewhere once the window ends; a signed-in session is never
 * refused for what others did from its address (only sign-in attempts are counted).
 */
export interface SignInLimits {
  /** Failures per account (email) per window before its sign-ins are refused until the window ends. */
  perAccount: number;
  /** Failures per address per window. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAccount: 5, perAddress: 30, windowMs: 15 * 60_000 };

const KEYS_REMEMBERED_MAX = 100_000;

export class SignInThrottle {
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();

  constructor(private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {}

  /** Whether a sign-in for this account from this address may be tried now. */
  allows(email: string, address: string, nowMs: number): boolean {
    return (
      this.count(accountKey(email), nowMs) < this.limits.perAccount &&
      this.count(addressKey(address), nowMs) < this.limits.perAddress
    );
  }

  recordFailure(email: string, address: string, nowMs: number): void {
    this.bump(accountKey(email), nowMs);
    this.bump(addressKey(address), nowMs);
  }

  recordSuccess(email: string): void {
    this.windows.delete(accountKey(email));
  }

  private count(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    return window && window.resetsAt > nowMs ? window.count : 0;
  }

  private bump(key: string, nowMs: number): void {
    if (this.windows.size >= KEYS_REMEMBERED_MAX) {
      for (const [k, w] of this.windows) if (w.resetsAt <= nowMs) this.windows.delete(k);
      for (const k of this.windows.keys()) {
        if (this.windows.size < KEYS_REMEMBERED_MAX) break;
        this.windows.delete(k);
      }
    }
    const window = this.windows.get(key);
    if (!window || window.resetsAt <= nowMs)
      this.windows.set(key, { count: 1, resetsAt: nowMs + this.limits.windowMs });
    else window.count += 1;
  }
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
