// The official cohere-ai SDK's CohereClientV2 (the v2 API LiteLLM calls for cohere/ models)
// against the Cohere mock (tests/support/mock_cohere.h):
//   node cohere.mjs <baseURL> <apiKey> <step>...
// Steps: chat, tool, stream, stream-tool, stream-error, embed, embed-base64, rejects-index,
// errors. Each prints one JSON line {"step": …, …} with what the SDK made of the answer; a step
// the SDK failed prints {"step": …, "unexpected": "<error>"}. tests/integration/cohere_sdk_test.cc
// asserts them.
import { CohereClientV2, Cohere, CohereError } from 'cohere-ai';
import { runSteps } from './steps.mjs';

const [baseUrl, token, ...steps] = process.argv.slice(2);
if (!baseUrl || !token || steps.length === 0) {
  console.error('usage: node cohere.mjs <baseURL> <apiKey> <step>...');
  process.exit(2);
}
const client = new CohereClientV2({ token, baseUrl, maxRetries: 0 });

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function request(model, extra = {}) {
  return { model, messages: [{ role: 'user', content: 'hello there' }], ...extra };
}

// What the SDK exposes of a whole answer (its camelCase fields).
function describe(answer) {
  return {
    id: answer.id,
    finish_reason: answer.finishReason,
    role: answer.message?.role ?? null,
    text: (answer.message?.content ?? []).map((item) => item.text ?? '').join(''),
    tool_plan: answer.message?.toolPlan ?? null,
    tool_calls: (answer.message?.toolCalls ?? []).map((call) => ({
      id: call.id,
      type: call.type,
      name: call.function?.name ?? null,
      arguments: call.function?.arguments ?? null,
    })),
    usage: answer.usage ?? null,
  };
}

// What the SDK makes of a failure: its class, status and the body as it parsed it.
function describeError(error) {
  return {
    name: error?.constructor?.name ?? null,
    is_cohere_error: error instanceof CohereError,
    status: error?.statusCode ?? null,
    body_message: error?.body?.message ?? null,
    message: String(error?.message ?? error),
  };
}

// Streams with the SDK and assembles what its events say.
async function streamed(body) {
  const stream = await client.chatStream(body);
  const events = [];
  const texts = [];
  const argumentPieces = [];
  const calls = [];
  let end = null;
  for await (const event of stream) {
    events.push(event.type);
    if (event.type === 'content-delta') texts.push(event.delta?.message?.content?.text ?? '');
    if (event.type === 'tool-call-start') {
      const call = event.delta?.message?.toolCalls;
      calls.push({ id: call?.id ?? null, name: call?.function?.name ?? null });
    }
    if (event.type === 'tool-call-delta') {
      argumentPieces.push(event.delta?.message?.toolCalls?.function?.arguments ?? '');
    }
    if (event.type === 'message-end') {
      end = {
        finish_reason: event.delta?.finishReason ?? null,
        error: event.delta?.error ?? null,
        usage: event.delta?.usage ?? null,
      };
    }
  }
  return { events, text_deltas: texts, calls, arguments: argumentPieces.join(''), end };
}

const stepsByName = {
  async chat() {
    const { data, rawResponse } = await client.chat(request('command-test')).withRawResponse();
    return { ...describe(data), trace_id: rawResponse.headers.get('x-debug-trace-id') };
  },
  async tool() {
    return describe(await client.chat(request('command-test-tool', { tools: [weatherTool] })));
  },
  async stream() {
    return streamed(request('command-test'));
  },
  async 'stream-tool'() {
    return streamed(request('command-test-tool', { tools: [weatherTool] }));
  },
  async 'stream-error'() {
    return streamed(request('command-midstream-error'));
  },
  async embed() {
    const answer = await client.embed({
      model: 'embed-test',
      texts: ['one', 'two'],
      inputType: 'search_document',
      embeddingTypes: ['float'],
    });
    return { id: answer.id, embeddings: answer.embeddings, texts: answer.texts, meta: answer.meta };
  },
  async 'embed-base64'() {
    const answer = await client.embed({
      model: 'embed-test',
      texts: ['one'],
      inputType: 'search_query',
      embeddingTypes: ['base64'],
      outputDimension: 2,
    });
    const bytes = Buffer.from(answer.embeddings.base64[0], 'base64');
    const floats = [];
    for (let i = 0; i + 4 <= bytes.length; i += 4) floats.push(bytes.readFloatLE(i));
    return { floats };
  },
  // An assistant tool call with OpenAI's stream `index`: Cohere v2 (and the mock) refuse it.
  async 'rejects-index'() {
    try {
      await client.chat({
        model: 'command-test',
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            toolCalls: [
              { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' }, index: 0 },
            ],
          },
          { role: 'tool', toolCallId: 'c1', content: 'done' },
        ],
      });
      return { threw: false };
    } catch (error) {
      return { threw: true, ...describeError(error) };
    }
  },
  async errors() {
    const errors = {};
    for (const status of [400, 401, 429, 500]) {
      try {
        await client.chat(request(`command-status-${status}`));
        errors[status] = { threw: false };
      } catch (error) {
        errors[status] = {
          threw: true,
          ...describeError(error),
          is_bad_request: error instanceof Cohere.BadRequestError,
          is_unauthorized: error instanceof Cohere.UnauthorizedError,
          is_too_many_requests: error instanceof Cohere.TooManyRequestsError,
          is_internal_server_error: error instanceof Cohere.InternalServerError,
        };
      }
    }
    try {
      await new CohereClientV2({ token: 'bad-key', baseUrl, maxRetries: 0 }).chat(
        request('command-test'),
      );
      errors['bad-key'] = { threw: false };
    } catch (error) {
      errors['bad-key'] = {
        threw: true,
        ...describeError(error),
        is_unauthorized: error instanceof Cohere.UnauthorizedError,
      };
    }
    return { errors };
  },
};

await runSteps(stepsByName, steps);
