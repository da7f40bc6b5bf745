/**
 * How many sign-in and sign-up attempts one IP (hashed) and one account may make in a window
 * before the answer is 429 with `Retry-After`. The runtime may override them (`AppDeps.authLimits`);
 * tests shorten them. Only failed sign-ins count: a member who signs in many times a day, or a
 * test suite that does, never meets the limit.
 */
export interface AuthLimits {
  /** Failed sign-ins per account (by email, whether or not it exists) in one window. */
  loginFailuresPerAccount: number;
  /** Failed sign-ins per IP hash in one window, whichever accounts they were for. */
  loginFailuresPerIp: number;
  /** Sign-up attempts per email address in one window. */
  signupsPerAccount: number;
  /** Sign-up attempts per IP hash in one window (accounts are cheap to make, costly to have). */
  signupsPerIp: number;
  /** Wrong two-factor codes (authenticator or recovery) per account in one window: 3 of a million codes are valid at once. */
  twoFactorFailuresPerAccount: number;
  /** Wrong two-factor codes per IP hash in one window, whichever accounts they were for. */
  twoFactorFailuresPerIp: number;
  windowMs: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginFailuresPerAccount: 10,
  loginFailuresPerIp: 30,
  signupsPerAccount: 5,
  signupsPerIp: 20,
  twoFactorFailuresPerAccount: 5,
  twoFactorFailuresPerIp: 30,
  windowMs: 15 * 60 * 1000,
};
