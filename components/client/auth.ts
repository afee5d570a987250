/**
 * Sign-in flows per TrueNAS version (spec §2): `auth.login_ex` (25.04+) with API_KEY_PLAIN,
 * PASSWORD_PLAIN (+ OTP_TOKEN via `auth.login_ex_continue`), TOKEN_PLAIN and SCRAM (26.0+); the
 * boolean legacy calls (`auth.login_with_api_key`, `auth.login`, `auth.login_with_token`) before.
 * Every response type becomes a distinct outcome: SUCCESS and OTP_REQUIRED are returned, the
 * failures are thrown as AuthError subclasses with a human message.
 */
import {
  AccessDeniedError,
  CredentialExpiredError,
  InsecureTransportError,
  InvalidCredentialsError,
  InvalidInputError,
  MethodNotFoundError,
  ProtocolError,
  RedirectError,
  ServerProofError,
} from './errors.js';
import { ScramClient } from './scram.js';
import type { ApiKeyCredentials, AuthUserInfo, Credentials, LoginMechanism, LoginOutcome, PasswordCredentials, TokenCredentials } from './types.js';
import type { HostAddress } from './url.js';
import { API_KEY_PATTERN, isRecord } from './wire.js';

/** What a flow needs from the client: a priority call on the current socket and the address. */
export interface AuthContext {
  call(method: string, params: unknown[]): Promise<unknown>;
  address: HostAddress;
}

const OTP = /^\d{6,8}$/;

/** Checks credentials before anything is sent; throws InvalidInputError with the field at fault. */
export function validateCredentials(credentials: Credentials): Credentials {
  if (!isRecord(credentials)) throw new InvalidInputError('Sign-in details are missing.');
  switch (credentials.type) {
    case 'apiKey': {
      const key = typeof credentials.key === 'string' ? credentials.key.trim() : '';
      if (!API_KEY_PATTERN.test(key)) {
        throw new InvalidInputError('This is not a TrueNAS API key: it should be the key number, a dash and 64 letters or digits (e.g. 3-AbC…).', 'key');
      }
      const username = typeof credentials.username === 'string' ? credentials.username.trim() : undefined;
      if (credentials.username !== undefined && !username) throw new InvalidInputError('Enter the username that owns the API key, or leave it out.', 'username');
      const mechanism = credentials.mechanism ?? 'auto';
      if (!['auto', 'scram', 'plain'].includes(mechanism)) throw new InvalidInputError('Unknown API-key sign-in mechanism.', 'mechanism');
      return { type: 'apiKey', key, mechanism, ...(username ? { username } : {}) };
    }
    case 'password': {
      const username = typeof credentials.username === 'string' ? credentials.username.trim() : '';
      if (!username) throw new InvalidInputError('Enter a username.', 'username');
      if (typeof credentials.password !== 'string' || credentials.password === '') throw new InvalidInputError('Enter the password.', 'password');
      const otp = typeof credentials.otp === 'string' ? credentials.otp.trim() : undefined;
      if (credentials.otp !== undefined && !OTP.test(otp ?? '')) throw new InvalidInputError('The one-time code is 6 to 8 digits.', 'otp');
      return { ...credentials, username, ...(otp ? { otp } : {}) };
    }
    case 'token': {
      const token = typeof credentials.token === 'string' ? credentials.token.trim() : '';
      if (!token || token.length > 1024) throw new InvalidInputError('Enter a valid login token.', 'token');
      return { ...credentials, token };
    }
    default:
      throw new InvalidInputError('Unknown kind of sign-in.');
  }
}

export function validateOtp(otp: string): string {
  const code = typeof otp === 'string' ? otp.trim() : '';
  if (!OTP.test(code)) throw new InvalidInputError('The one-time code is 6 to 8 digits.', 'otp');
  return code;
}

/** The secrets inside credentials, for redaction. */
export function secretsOf(credentials: Credentials): string[] {
  switch (credentials.type) {
    case 'apiKey':
      return [credentials.key, credentials.key.slice(credentials.key.indexOf('-') + 1)];
    case 'password':
      return [credentials.password];
    case 'token':
      return [credentials.token];
  }
}

function success(mechanism: LoginMechanism, userInfo: unknown, fallbackUser: string | null): LoginOutcome {
  const info = isRecord(userInfo) && typeof userInfo.pw_name === 'string' ? (userInfo as AuthUserInfo) : null;
  return { type: 'SUCCESS', message: 'Signed in.', mechanism, username: info?.pw_name ?? fallbackUser, userInfo: info };
}

function otpRequired(username: string): LoginOutcome {
  return { type: 'OTP_REQUIRED', message: `Enter the one-time code from the authenticator app for ${username}.`, username };
}

/** Maps an `auth.login_ex` result to an outcome; throws for failures. */
export function interpretLoginResponse(response: unknown, mechanism: LoginMechanism, fallbackUser: string | null): LoginOutcome {
  if (!isRecord(response) || typeof response.response_type !== 'string') {
    throw new ProtocolError('The NAS answered the sign-in with something that is not a login response.');
  }
  const apiKey = mechanism === 'API_KEY_PLAIN' || mechanism === 'SCRAM';
  switch (response.response_type) {
    case 'SUCCESS':
      return success(mechanism, response.user_info, fallbackUser);
    case 'OTP_REQUIRED':
      return otpRequired(typeof response.username === 'string' ? response.username : (fallbackUser ?? ''));
    case 'AUTH_ERR':
      throw new InvalidCredentialsError(
        apiKey
          ? 'The NAS rejected the API key: it is wrong, revoked, or does not belong to this user.'
          : mechanism === 'TOKEN_PLAIN'
            ? 'The NAS rejected the login token: it is wrong or has expired.'
            : mechanism === 'OTP_TOKEN'
              ? 'The one-time code was not accepted; sign in again.'
              : 'Wrong username or password.',
      );
    case 'EXPIRED':
      throw new CredentialExpiredError(
        apiKey
          ? 'The API key has expired, or the NAS just revoked it because it was used over an insecure connection. Reset the key (this issues a new one) to use it again.'
          : 'The password has expired; change it in the TrueNAS web interface, then sign in again.',
      );
    case 'DENIED':
      throw new AccessDeniedError();
    case 'REDIRECT':
      throw new RedirectError(Array.isArray(response.urls) ? response.urls.filter((u): u is string => typeof u === 'string').slice(0, 8) : []);
    default:
      throw new ProtocolError(`The NAS answered the sign-in with an unknown response type "${response.response_type.replace(/[^A-Z_]/gi, '').slice(0, 40)}".`);
  }
}

/** `auth.mechanism_choices`: list, `legacy` (the method does not exist: ≤24.10), or `unknown` (the 25.04.2-25.10 bug, other errors). */
async function mechanismChoices(ctx: AuthContext): Promise<string[] | 'legacy' | 'unknown'> {
  try {
    const result = await ctx.call('auth.mechanism_choices', []);
    return Array.isArray(result) ? result.filter((m): m is string => typeof m === 'string') : 'unknown';
  } catch (error) {
    if (error instanceof MethodNotFoundError) return 'legacy';
    // 25.04.2-25.10 fail unauthenticated with "'NoneType' object has no attribute 'may_create_auth_token'"; those have login_ex but no SCRAM.
    return 'unknown';
  }
}

function boolResult(result: unknown, mechanism: LoginMechanism, fallbackUser: string | null): LoginOutcome {
  if (result === true) return success('LEGACY', null, fallbackUser);
  return interpretLoginResponse({ response_type: 'AUTH_ERR' }, mechanism, fallbackUser);
}

export async function loginWithApiKey(ctx: AuthContext, credentials: ApiKeyCredentials): Promise<LoginOutcome> {
  const match = API_KEY_PATTERN.exec(credentials.key)!;
  const mechanism = credentials.mechanism ?? 'auto';
  const insecure = !ctx.address.tls && !ctx.address.loopback;
  if (mechanism === 'plain' && insecure) throw new InsecureTransportError('apiKey', ctx.address.host);
  const choices = await mechanismChoices(ctx);
  const scram = Array.isArray(choices) && choices.includes('SCRAM');
  if (mechanism === 'scram' && !scram) {
    throw new InvalidInputError('This NAS does not offer SCRAM sign-in (it arrived in TrueNAS 26.0); use the plain API-key mechanism over https.', 'mechanism');
  }
  if (scram && mechanism !== 'plain') {
    if (!credentials.username) {
      throw new InvalidInputError('TrueNAS 26 signs in with API keys by SCRAM, which needs the username that owns the key.', 'username');
    }
    return loginWithScram(ctx, credentials.username, Number(match[1]), match[2]!);
  }
  // The key itself goes over the wire from here on.
  if (insecure) throw new InsecureTransportError('apiKey', ctx.address.host);
  if (choices !== 'legacy' && credentials.username) {
    const response = await ctx.call('auth.login_ex', [{ mechanism: 'API_KEY_PLAIN', username: credentials.username, api_key: credentials.key }]);
    return interpretLoginResponse(response, 'API_KEY_PLAIN', credentials.username);
  }
  // ≤24.10, or 25.04+ without a username (the wrapper looks the owner up).
  // Before 25.04 a key has no owner: the session's user is not known.
  const owner = choices === 'legacy' ? null : (credentials.username ?? null);
  return boolResult(await ctx.call('auth.login_with_api_key', [credentials.key]), 'API_KEY_PLAIN', owner);
}

async function loginWithScram(ctx: AuthContext, username: string, keyId: number, secret: string): Promise<LoginOutcome> {
  const scram = new ScramClient(username, keyId, secret);
  const first = await ctx.call('auth.login_ex', [{ mechanism: 'SCRAM', scram_type: 'CLIENT_FIRST_MESSAGE', rfc_str: scram.clientFirst }]);
  if (!isRecord(first) || first.response_type !== 'SCRAM_RESPONSE') return interpretNonScram(first, username);
  if (first.scram_type !== 'SERVER_FIRST_RESPONSE' || typeof first.rfc_str !== 'string') {
    throw new ProtocolError('The NAS answered the first SCRAM message out of order.');
  }
  const clientFinal = await scram.clientFinal(first.rfc_str);
  const final = await ctx.call('auth.login_ex', [{ mechanism: 'SCRAM', scram_type: 'CLIENT_FINAL_MESSAGE', rfc_str: clientFinal }]);
  if (!isRecord(final) || final.response_type !== 'SCRAM_RESPONSE') return interpretNonScram(final, username);
  if (final.scram_type !== 'SERVER_FINAL_RESPONSE' || typeof final.rfc_str !== 'string' || !(await scram.verifyServerFinal(final.rfc_str))) {
    await ctx.call('auth.logout', []).catch(() => undefined);
    throw new ServerProofError();
  }
  return success('SCRAM', final.user_info, username);
}

/** A SCRAM step answered with a plain response type: failures map as usual; SUCCESS without server proof is refused. */
function interpretNonScram(response: unknown, username: string): LoginOutcome {
  const outcome = interpretLoginResponse(response, 'SCRAM', username);
  if (outcome.type === 'SUCCESS') throw new ServerProofError();
  throw new ProtocolError('The NAS asked for a one-time code during API-key sign-in.');
}

export async function loginWithPassword(ctx: AuthContext, credentials: PasswordCredentials): Promise<LoginOutcome> {
  if (!ctx.address.tls && credentials.allowInsecureTransport !== true) throw new InsecureTransportError('password', ctx.address.host);
  const { username, password, otp } = credentials;
  let response: unknown;
  try {
    response = await ctx.call('auth.login_ex', [{ mechanism: 'PASSWORD_PLAIN', username, password }]);
  } catch (error) {
    if (!(error instanceof MethodNotFoundError)) throw error;
    // ≤24.10: a boolean, with the one-time code as third argument.
    const result = await ctx.call('auth.login', otp ? [username, password, otp] : [username, password]);
    if (result === true) return success('LEGACY', null, username);
    throw new InvalidCredentialsError(otp ? 'Wrong username, password or one-time code.' : 'Wrong username or password (or this account needs a one-time code).');
  }
  const outcome = interpretLoginResponse(response, 'PASSWORD_PLAIN', username);
  if (outcome.type === 'OTP_REQUIRED' && otp) return continueWithOtp(ctx, otp, username);
  return outcome;
}

export async function continueWithOtp(ctx: AuthContext, otp: string, username: string | null): Promise<LoginOutcome> {
  const response = await ctx.call('auth.login_ex_continue', [{ mechanism: 'OTP_TOKEN', otp_token: otp }]);
  return interpretLoginResponse(response, 'OTP_TOKEN', username);
}

export async function loginWithToken(ctx: AuthContext, credentials: TokenCredentials): Promise<LoginOutcome> {
  if (!ctx.address.tls && credentials.allowInsecureTransport !== true) throw new InsecureTransportError('token', ctx.address.host);
  try {
    const response = await ctx.call('auth.login_ex', [{ mechanism: 'TOKEN_PLAIN', token: credentials.token }]);
    return interpretLoginResponse(response, 'TOKEN_PLAIN', null);
  } catch (error) {
    if (!(error instanceof MethodNotFoundError)) throw error;
    return boolResult(await ctx.call('auth.login_with_token', [credentials.token]), 'TOKEN_PLAIN', null);
  }
}

export function login(ctx: AuthContext, credentials: Credentials): Promise<LoginOutcome> {
  switch (credentials.type) {
    case 'apiKey':
      return loginWithApiKey(ctx, credentials);
    case 'password':
      return loginWithPassword(ctx, credentials);
    case 'token':
      return loginWithToken(ctx, credentials);
  }
}
