// The official @google/genai SDK against the Gemini mock (tests/support/mock_gemini.h):
//   node gemini.mjs <baseUrl> <apiKey> <step>...
// Steps: generate, tool, think, blocked, stream, stream-tool, stream-error, embed, errors,
// no-key, bad-key. Each prints one JSON line {"step": …, …} with what the SDK made of the answer; a step
// the SDK failed unexpectedly prints {"step": …, "unexpected": "<error>"}.
// tests/integration/gemini_sdk_test.cc asserts them.
import { GoogleGenAI, ApiError } from '@google/genai';
import { failure as failureOf, runSteps } from './steps.mjs';

const [baseUrl, apiKey, ...steps] = process.argv.slice(2);
if (!baseUrl || !apiKey || steps.length === 0) {
  console.error('usage: node gemini.mjs <baseUrl> <apiKey> <step>...');
  process.exit(2);
}
// No retryOptions: the SDK then sends each request once.
const client = (key) => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl } });
const ai = client(apiKey);

const weatherTool = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] },
    },
  ],
};

function params(model, config = {}) {
  return {
    model,
    contents: [{ role: 'user', parts: [{ text: 'hello there' }] }],
    config: { systemInstruction: 'You are terse.', ...config },
  };
}

// What the SDK exposes of a GenerateContentResponse, through its own accessors.
function describe(response) {
  const candidate = response.candidates?.[0];
  return {
    text: response.text ?? null,
    function_calls: response.functionCalls ?? [],
    finish_reason: candidate?.finishReason ?? null,
    thoughts: (candidate?.content?.parts ?? []).filter((p) => p.thought).map((p) => p.text),
    role: candidate?.content?.role ?? null,
    usage: response.usageMetadata ?? null,
    model_version: response.modelVersion ?? null,
    response_id: response.responseId ?? null,
    block_reason: response.promptFeedback?.blockReason ?? null,
  };
}

function describeError(error) {
  let body = null;
  try {
    body = JSON.parse(error?.message);
  } catch {}
  return {
    name: error?.constructor?.name ?? null,
    is_api_error: error instanceof ApiError,
    status: error?.status ?? null,
    google_status: body?.error?.status ?? null,
    google_message: body?.error?.message ?? null,
    reason: body?.error?.details?.[0]?.reason ?? null,
    message: String(error?.message ?? error),
  };
}

async function streamed(request) {
  const texts = [];
  const finishReasons = [];
  const functionCalls = [];
  let usage = null;
  for await (const chunk of await ai.models.generateContentStream(request)) {
    if (chunk.text) texts.push(chunk.text);
    const reason = chunk.candidates?.[0]?.finishReason;
    if (reason) finishReasons.push(reason);
    functionCalls.push(...(chunk.functionCalls ?? []));
    if (chunk.usageMetadata) usage = chunk.usageMetadata;
  }
  return { text_deltas: texts, finish_reasons: finishReasons, function_calls: functionCalls, usage };
}

const failure = (run) => failureOf(run, describeError);

const stepsByName = {
  async generate() {
    return describe(await ai.models.generateContent(params('gemini-test-cache')));
  },
  async tool() {
    return describe(await ai.models.generateContent(params('gemini-test-tool', { tools: [weatherTool] })));
  },
  async think() {
    return describe(await ai.models.generateContent(params('gemini-test-think')));
  },
  async blocked() {
    return describe(await ai.models.generateContent(params('gemini-test-blocked')));
  },
  async stream() {
    return streamed(params('gemini-test'));
  },
  async 'stream-tool'() {
    return streamed(params('gemini-test-tool', { tools: [weatherTool] }));
  },
  async 'stream-error'() {
    const texts = [];
    try {
      for await (const chunk of await ai.models.generateContentStream(params('gemini-midstream-error'))) {
        if (chunk.text) texts.push(chunk.text);
      }
      return { threw: false, text_deltas: texts };
    } catch (error) {
      return { threw: true, text_deltas: texts, ...describeError(error) };
    }
  },
  async embed() {
    const response = await ai.models.embedContent({
      model: 'gemini-embedding-test',
      contents: ['first text', 'second text'],
      config: { outputDimensionality: 4 },
    });
    return { vectors: (response.embeddings ?? []).map((e) => e.values) };
  },
  async errors() {
    const errors = {};
    for (const status of [400, 403, 404, 429, 500, 503]) {
      errors[status] = await failure(() => ai.models.generateContent(params(`gemini-status-${status}`)));
    }
    return { errors };
  },
  async 'no-key'() {
    // The SDK refuses to send without a key; an explicit empty header gets past it.
    const keyless = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl, headers: { 'x-goog-api-key': '' } } });
    return failure(() => keyless.models.generateContent(params('gemini-test')));
  },
  async 'bad-key'() {
    return failure(() => client('bad-key').models.generateContent(params('gemini-test')));
  },
};

await runSteps(stepsByName, steps);
