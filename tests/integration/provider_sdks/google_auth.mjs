// The official google-auth-library's JWT client (the service-account flow google-auth runs for
// Vertex AI credentials) against the Google token mock (tests/support/mock_google_token.h):
//   node google_auth.mjs <tokenURL> <serviceAccountJson> <step>...
// Steps: token, cached, wrong-key, unknown-account. Each prints one JSON line {"step": …, …}
// with what the SDK made of the answer; a step the SDK failed unexpectedly prints {"step": …,
// "unexpected": "<error>"}. tests/integration/google_auth_sdk_test.cc asserts them.
//
// google-auth-library 10.9.1 signs its assertion with aud https://oauth2.googleapis.com/token
// and POSTs it there whatever the key file's token_uri says (its gtoken/getToken.js), so a
// request interceptor on the client's own transporter (gaxios) sends that POST to <tokenURL>
// instead; the step reports the URL the SDK asked for.
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { JWT } from 'google-auth-library';
import { runSteps } from './steps.mjs';

const [tokenUrl, keyFile, ...steps] = process.argv.slice(2);
if (!tokenUrl || !keyFile || steps.length === 0) {
  console.error('usage: node google_auth.mjs <tokenURL> <serviceAccountJson> <step>...');
  process.exit(2);
}
const keyJson = JSON.parse(readFileSync(keyFile, 'utf8'));
const scopes = ['https://www.googleapis.com/auth/cloud-platform'];

// A JWT client from a key file's JSON, its token POSTs sent to the mock.
function client(json) {
  const jwt = new JWT({ scopes });
  jwt.fromJSON({ ...json, token_uri: tokenUrl });
  const asked = [];
  jwt.transporter.interceptors.request.add({
    resolved: async (options) => {
      asked.push(String(options.url));
      options.url = new URL(tokenUrl);
      return options;
    },
  });
  return { jwt, asked };
}

// What the SDK makes of a failure: its message (Google's error: error_description) and the
// answer's status and body as it parsed them.
function describeError(error) {
  return {
    name: error?.constructor?.name ?? null,
    message: String(error?.message ?? error),
    status: error?.response?.status ?? null,
    error: error?.response?.data?.error ?? null,
    error_description: error?.response?.data?.error_description ?? null,
  };
}

const shared = client(keyJson);

const runners = {
  async token() {
    const { token } = await shared.jwt.getAccessToken();
    const expiresInSeconds = Math.round((shared.jwt.credentials.expiry_date - Date.now()) / 1000);
    return {
      token,
      token_type: shared.jwt.credentials.token_type ?? null,
      expires_in_seconds: expiresInSeconds,
      asked: shared.asked,
    };
  },
  async cached() {
    const { token } = await shared.jwt.getAccessToken();
    return { token, posts: shared.asked.length };
  },
  async 'wrong-key'() {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const other = client({ ...keyJson, private_key: privateKey });
    try {
      await other.jwt.getAccessToken();
      return { got_token: true };
    } catch (error) {
      return describeError(error);
    }
  },
  async 'unknown-account'() {
    const other = client({ ...keyJson, client_email: 'someone-else@llmtap-test.iam.gserviceaccount.com' });
    try {
      await other.jwt.getAccessToken();
      return { got_token: true };
    } catch (error) {
      return describeError(error);
    }
  },
};

await runSteps(runners, steps);
