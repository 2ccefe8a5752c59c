import { createSign } from 'node:crypto';
import jsforce from 'jsforce';
import { ConfigError, TransientError } from '../../src/sdk/index.js';
import { resolveSecret, type AuthConfig } from './config.js';

export type TokenResponse = { accessToken: string; instanceUrl: string; refreshToken?: string };

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * The OAuth 2.0 JWT bearer assertion (RFC 7523) Salesforce expects: RS256 over `{iss, sub, aud, exp}`, signed with
 * the private key whose certificate is uploaded to the connected app. Valid for 3 minutes, the maximum it accepts.
 */
export function signJwtAssertion(input: { clientId: string; username: string; audience: string; privateKey: string; now?: number }): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const issuedAt = Math.floor((input.now ?? Date.now()) / 1000);
  const claims = base64url(JSON.stringify({ iss: input.clientId, sub: input.username, aud: input.audience, exp: issuedAt + 180 }));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  let signature: Buffer;
  try {
    signature = signer.sign(input.privateKey);
  } catch (error) {
    throw new ConfigError('salesforce.private_key_invalid', 'The JWT private key could not be read: give the PEM private key whose certificate is uploaded to the connected app.', { cause: error });
  }
  return `${header}.${claims}.${base64url(signature)}`;
}

/**
 * Gets an access token with the configured grant through jsforce's OAuth2 client. A refused grant is a configuration
 * error with the next step spelled out; an unreachable or failing token endpoint is transient.
 */
export async function requestAccessToken(auth: AuthConfig, loginUrl: string): Promise<TokenResponse> {
  let response: { access_token?: string; instance_url?: string; refresh_token?: string };
  try {
    if (auth.kind === 'jwt') {
      const privateKey = resolveSecret(auth.privateKey, auth.privateKeyEnv, 'JWT private key');
      const oauth2 = new jsforce.OAuth2({ loginUrl });
      const assertion = signJwtAssertion({ clientId: auth.clientId, username: auth.username, audience: auth.audience ?? loginUrl, privateKey });
      response = await oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    } else if (auth.kind === 'refresh_token') {
      const refreshToken = resolveSecret(auth.refreshToken, auth.refreshTokenEnv, 'refresh token');
      const clientSecret = auth.clientSecret || auth.clientSecretEnv ? resolveSecret(auth.clientSecret, auth.clientSecretEnv, 'client secret') : undefined;
      const oauth2 = new jsforce.OAuth2({ loginUrl, clientId: auth.clientId, ...(clientSecret ? { clientSecret } : {}) });
      response = { refresh_token: refreshToken, ...(await oauth2.refreshToken(refreshToken)) };
    } else {
      const password = resolveSecret(auth.password, auth.passwordEnv, 'password');
      const clientSecret = resolveSecret(auth.clientSecret, auth.clientSecretEnv, 'client secret');
      const oauth2 = new jsforce.OAuth2({ loginUrl, clientId: auth.clientId, clientSecret });
      response = await oauth2.authenticate(auth.username, password);
    }
  } catch (error) {
    throw explainTokenError(error, auth, loginUrl);
  }
  if (!response.access_token || !response.instance_url) {
    throw new TransientError('salesforce.token_response', `The token endpoint at ${loginUrl} answered without an access token or instance URL.`);
  }
  return { accessToken: response.access_token, instanceUrl: response.instance_url, ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}) };
}

function explainTokenError(error: unknown, auth: AuthConfig, loginUrl: string): Error {
  if (error instanceof ConfigError) return error;
  const name = (error as { name?: string }).name ?? '';
  const description = (error as { message?: string }).message ?? '';
  const code = (error as { code?: string }).code;
  if (code && /^(ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE)/.test(code)) {
    return new TransientError('salesforce.token_unreachable', `The Salesforce token endpoint at ${loginUrl} could not be reached (${code}).`, { cause: error });
  }
  if (/^ERROR_HTTP_5\d\d$/.test(name)) {
    return new TransientError('salesforce.token_unavailable', `The Salesforce token endpoint at ${loginUrl} failed (${name.slice(11)}); retrying later.`, { cause: error });
  }
  if (name === 'invalid_grant' || name === 'invalid_client' || name === 'invalid_client_id' || name === 'unsupported_grant_type' || /^ERROR_HTTP_4\d\d$/.test(name)) {
    // The description is Salesforce's own text ("expired access/refresh token"); it never echoes the secret.
    const detail = `${name}${description ? `: ${description}` : ''}`;
    if (auth.kind === 'refresh_token') {
      return new ConfigError('salesforce.refresh_token_rejected', `Salesforce rejected the refresh token (${detail}): reconnect the connector in the console to authorize it again.`, { cause: error });
    }
    if (auth.kind === 'jwt') {
      return new ConfigError(
        'salesforce.jwt_rejected',
        `Salesforce rejected the JWT bearer assertion (${detail}): check the connected app's consumer key, that its certificate matches the private key, that ${auth.username} is pre-authorized (profile or permission set on the connected app), and the login URL ${loginUrl}.`,
        { cause: error },
      );
    }
    return new ConfigError('salesforce.password_rejected', `Salesforce rejected the username and password for ${auth.username} (${detail}): check the password with the security token appended, and the connected app's consumer key and secret.`, { cause: error });
  }
  return new TransientError('salesforce.token_failed', `Getting a Salesforce access token failed: ${description || name}`, { cause: error });
}
