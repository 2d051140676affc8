// The official @anthropic-ai/sdk against the Anthropic mock (tests/support/mock_anthropic.h):
//   node anthropic.mjs <baseURL> <apiKey> <step>...
// Steps: create, create-cache, tool, stream, stream-tool, stream-error, errors, sampling. Each
// prints one JSON line {"step": …, …} with what the SDK made of the answer; a step the SDK failed
// prints {"step": …, "unexpected": "<error>"}. tests/integration/anthropic_sdk_test.cc asserts
// them.
// ANTHROPIC_SDK=v0 runs the last 0.x SDK (0.137.0: API version 2023-06-01, the key in
// X-Api-Key, as LiteLLM and llmtap call Anthropic) instead of the latest (1.x: API version
// 2026-10-21, the key as Authorization: Bearer).
import { runSteps } from './steps.mjs';

const legacy = process.env.ANTHROPIC_SDK === 'v0';
const { default: Anthropic } = await import(legacy ? 'anthropic-sdk-v0' : '@anthropic-ai/sdk');

const [baseURL, apiKey, ...steps] = process.argv.slice(2);
if (!baseURL || !apiKey || steps.length === 0) {
  console.error('usage: node anthropic.mjs <baseURL> <apiKey> <step>...');
  process.exit(2);
}
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0 });

const weatherTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function params(model, extra = {}) {
  return {
    model,
    max_tokens: 100,
    messages: [{ role: 'user', content: 'hello there' }],
    ...extra,
  };
}

// What the SDK exposes of a whole message, with the JS types of the fields it promises.
function describe(message) {
  return {
    id: message.id,
    type: message.type,
    role: message.role,
    model: message.model,
    stop_reason: message.stop_reason,
    stop_sequence: message.stop_sequence,
    blocks: message.content.map((block) => block.type),
    text: message.content
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join(''),
    tool_use: message.content.filter((block) => block.type === 'tool_use'),
    usage: message.usage,
    usage_types: Object.fromEntries(
      Object.entries(message.usage).map(([key, value]) => [key, value === null ? 'null' : typeof value]),
    ),
  };
}

// What the SDK makes of a failure: its class, status, type and message as it parsed them.
function describeError(error) {
  return {
    name: error?.constructor?.name ?? null,
    is_api_error: error instanceof Anthropic.APIError,
    status: error?.status ?? null,
    type: error?.type ?? null,
    api_message: error?.apiMessage ?? null,
    body_type: error?.error?.error?.type ?? null,
    request_id: error?.requestID ?? null,
    message: String(error?.message ?? error),
  };
}

// Streams with the SDK's MessageStream and returns its own assembly of the message.
async function streamed(request) {
  const stream = client.messages.stream(request);
  const events = [];
  const texts = [];
  const jsonPieces = [];
  stream.on('streamEvent', (event) => events.push(event.type));
  stream.on('text', (delta) => texts.push(delta));
  stream.on('inputJson', (piece) => jsonPieces.push(piece));
  const message = await stream.finalMessage();
  return { ...describe(message), events, text_deltas: texts, json_pieces: jsonPieces };
}

const stepsByName = {
  async create() {
    const { data, response } = await client.messages.create(params('claude-test')).withResponse();
    return {
      ...describe(data),
      request_id: data._request_id ?? null,
      ratelimit_remaining: response.headers.get('anthropic-ratelimit-requests-remaining'),
    };
  },
  async 'create-cache'() {
    return describe(await client.messages.create(params('claude-test-cache')));
  },
  async tool() {
    return describe(await client.messages.create(params('claude-test-tool', { tools: [weatherTool] })));
  },
  async stream() {
    return streamed(params('claude-test-cache'));
  },
  async 'stream-tool'() {
    return streamed(params('claude-test-tool', { tools: [weatherTool] }));
  },
  async 'stream-error'() {
    const stream = client.messages.stream(params('claude-midstream-error'));
    const texts = [];
    stream.on('text', (delta) => texts.push(delta));
    try {
      await stream.finalMessage();
      return { threw: false, text_deltas: texts };
    } catch (error) {
      return { threw: true, text_deltas: texts, ...describeError(error) };
    }
  },
  // temperature is refused under 2026-10-21 and taken under 2023-06-01.
  async sampling() {
    try {
      const message = await client.messages.create(params('claude-test', { temperature: 0.5 }));
      return { threw: false, text: describe(message).text };
    } catch (error) {
      return { threw: true, ...describeError(error) };
    }
  },
  async errors() {
    const errors = {};
    for (const status of [400, 401, 403, 404, 413, 429, 500, 529]) {
      try {
        await client.messages.create(params(`claude-status-${status}`));
        errors[status] = { threw: false };
      } catch (error) {
        errors[status] = {
          threw: true,
          ...describeError(error),
          is_rate_limit_error: error instanceof Anthropic.RateLimitError,
          is_internal_server_error: error instanceof Anthropic.InternalServerError,
        };
      }
    }
    return { errors };
  },
};

await runSteps(stepsByName, steps, { sdk: legacy ? 'v0' : 'latest' });
