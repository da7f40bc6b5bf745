import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * Over https the cookie is `__Host-` prefixed and `Secure` (the browser then refuses it from any
 * subdomain or plain-http page); over plain http (local development) it cannot be, so it drops both.
 */
function cookieName(c: Context): string {
  return isHttps(c) ? '__Host-lf_session' : 'lf_session';
}

export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, cookieName(c));
}

export function writeSessionCookie(c: Context, token: string, expiresAt: number, now: number): void {
  writeCookie(c, cookieName(c), token, expiresAt, now);
}

/** HttpOnly, Lax, Secure over https, for the whole site, until `expiresAt`. */
function writeCookie(c: Context, name: string, value: string, expiresAt: number, now: number): void {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
}

/** The trusted-device cookie (services/auth-throttle.ts `trustedDeviceToken`): the session cookie's attributes, its own name. */
function deviceCookieName(c: Context): string {
  return isHttps(c) ? '__Host-lf_device' : 'lf_device';
}

export function readDeviceCookie(c: Context): string | undefined {
  return getCookie(c, deviceCookieName(c));
}

export function writeDeviceCookie(c: Context, token: string, expiresAt: number, now: number): void {
  writeCookie(c, deviceCookieName(c), token, expiresAt, now);
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, cookieName(c), { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Lax' });
}
