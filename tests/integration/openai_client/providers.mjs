// Drives llmtap with the official `openai` npm package against deployments of translated
// providers (Anthropic, …), the way an application would, and prints one JSON line per step for
// the provider e2e tests (tests/integration/*_e2e_test.cc) to check.
// Usage: node providers.mjs <base_url> <api_key> <step>=<model>...
//   steps: chat, stream, tools (a tool call), tools-stream (a tool call's arguments assembled
//   across chunks), json (response_format json_schema), error (any call expected to fail),
//   stream-error (a stream expected to fail), embeddings (one input, the SDK's default base64),
//   embeddings-float (two inputs, encoding_format float, dimensions 4)
import OpenAI from 'openai';

const [baseURL, apiKey, ...steps] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 10000 });
const print = (step, result) => console.log(JSON.stringify({ step, ...result }));

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const messages = (text) => [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: text },
];

async function readStream(stream) {
  let content = '';
  let chunks = 0;
  let finish = null;
  let role = null;
  const tools = [];
  let usage = null;
  for await (const chunk of stream) {
    chunks += 1;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    role = role ?? choice.delta?.role ?? null;
    content += choice.delta?.content ?? '';
    for (const call of choice.delta?.tool_calls ?? []) {
      const slot = (tools[call.index] ??= { id: null, name: null, arguments: '' });
      slot.id = call.id ?? slot.id;
      slot.name = call.function?.name ?? slot.name;
      slot.arguments += call.function?.arguments ?? '';
    }
    finish = choice.finish_reason ?? finish;
  }
  return { content, chunks, finish, role, tools, usage };
}

for (const arg of steps) {
  const [step, model] = arg.split('=');
  try {
    if (step === 'chat') {
      const { data, response } = await client.chat.completions
        .create({ model, messages: messages('Hello from the openai SDK'), max_tokens: 100 })
        .withResponse();
      print(step, {
        content: data.choices[0].message.content,
        finish: data.choices[0].finish_reason,
        object: data.object,
        id: data.id,
        usage: data.usage,
        call_id: response.headers.get('x-litellm-call-id'),
      });
    } else if (step === 'stream') {
      const stream = await client.chat.completions.create({
        model,
        messages: messages('Stream to the openai SDK'),
        stream: true,
        stream_options: { include_usage: true },
      });
      print(step, await readStream(stream));
    } else if (step === 'tools') {
      const data = await client.chat.completions.create({
        model,
        messages: messages('Weather in Paris?'),
        tools: [weatherTool],
        tool_choice: 'auto',
      });
      const call = data.choices[0].message.tool_calls?.[0];
      print(step, {
        finish: data.choices[0].finish_reason,
        content: data.choices[0].message.content,
        name: call?.function.name ?? null,
        arguments: call?.function.arguments ?? null,
        id: call?.id ?? null,
      });
    } else if (step === 'tools-stream') {
      const stream = await client.chat.completions.create({
        model,
        messages: messages('Weather in Paris?'),
        tools: [weatherTool],
        stream: true,
      });
      print(step, await readStream(stream));
    } else if (step === 'json') {
      const data = await client.chat.completions.create({
        model,
        messages: messages('Weather in Paris, as JSON'),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'weather', schema: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      });
      print(step, {
        finish: data.choices[0].finish_reason,
        content: data.choices[0].message.content,
        tool_calls: data.choices[0].message.tool_calls?.length ?? 0,
      });
    } else if (step === 'embeddings' || step === 'embeddings-float') {
      // The SDK asks for base64 unless told a format, and decodes it itself.
      const float = step === 'embeddings-float';
      const data = await client.embeddings.create({
        model,
        input: float ? ['first text', 'second text'] : 'embed me',
        ...(float ? { encoding_format: 'float', dimensions: 4 } : {}),
      });
      print(step, {
        object: data.object,
        model: data.model,
        count: data.data.length,
        vectors: data.data.map((item) => Array.from(item.embedding)),
        indexes: data.data.map((item) => item.index),
        usage: data.usage,
      });
    } else if (step === 'error') {
      await client.chat.completions.create({ model, messages: messages('fail please') });
      print(step, { status: 200 });
    } else if (step === 'stream-error') {
      const stream = await client.chat.completions.create({ model, messages: messages('x'), stream: true });
      const result = await readStream(stream);
      print(step, { status: 200, ...result });
    } else {
      print(step, { error: `unknown step ${step}` });
    }
  } catch (err) {
    print(step, {
      status: err.status ?? null,
      error: String(err.message ?? err),
      type: err.constructor?.name,
      code: err.code ?? null,
      error_type: err.type ?? null,
    });
  }
}
