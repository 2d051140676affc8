// The official @anthropic-ai/vertex-sdk (Claude on Vertex AI: the Messages API through rawPredict
// and streamRawPredict, the model in the URL, anthropic_version in the body) against the mock's
// Vertex route (tests/support/mock_anthropic.h, answer_vertex_anthropic):
//   node vertex_anthropic.mjs <baseURL> <accessToken> <step>...
// Steps: create, tool, stream, error, bad-token. Each prints one JSON line {"step": …, …};
// a step the SDK failed prints {"step": …, "unexpected": "<error>"}.
// tests/integration/vertex_anthropic_sdk_test.cc asserts them.
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { failure as failureOf, runSteps } from './steps.mjs';

const [baseURL, accessToken, ...steps] = process.argv.slice(2);
if (!baseURL || !accessToken || steps.length === 0) {
  console.error('usage: node vertex_anthropic.mjs <baseURL> <accessToken> <step>...');
  process.exit(2);
}
// The SDK takes its token from a google-auth-library client (getRequestHeaders()); this one hands
// out the given token, so the script needs no Google endpoint (the token exchange itself is
// proven by google_auth_sdk_test.cc).
function client(token) {
  const authClient = {
    projectId: 'proj-1',
    async getRequestHeaders() {
      return new Headers({ authorization: `Bearer ${token}` });
    },
  };
  return new AnthropicVertex({ baseURL, region: 'us-east5', projectId: 'proj-1', authClient,
                               maxRetries: 0 });
}
const vertex = client(accessToken);

const weatherTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function params(model, extra = {}) {
  return { model, max_tokens: 100, messages: [{ role: 'user', content: 'hello there' }], ...extra };
}

function describe(message) {
  return {
    type: message.type,
    model: message.model,
    stop_reason: message.stop_reason,
    text: message.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    tool_use: message.content.filter((b) => b.type === 'tool_use'),
    usage: message.usage,
  };
}

function describeError(error) {
  return { name: error?.constructor?.name ?? null, status: error?.status ?? null,
           message: String(error?.message ?? error) };
}

const failure = (run) => failureOf(run, describeError);

const stepsByName = {
  create: async () => describe(await vertex.messages.create(params('claude-sonnet-4@20250514'))),
  tool: async () =>
    describe(await vertex.messages.create(params('claude-tool@1', { tools: [weatherTool] }))),
  stream: async () => {
    const stream = vertex.messages.stream(params('claude-sonnet-4@20250514'));
    const deltas = [];
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    return { deltas, ...describe(message) };
  },
  error: async () => failure(() => vertex.messages.create(params('claude-status-429@1'))),
  'bad-token': async () =>
    failure(() => client('not-a-token').messages.create(params('claude-sonnet-4@20250514'))),
};

await runSteps(stepsByName, steps);
