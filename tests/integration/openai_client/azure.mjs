// Azure OpenAI calls with the official `openai` npm package, printing one JSON line per step for
// tests/integration/azure_e2e_test.cc to check. Two clients:
//   node azure.mjs azure <endpoint> <api_key> <api_version> <step>=<deployment>...
//     the SDK's AzureOpenAI client, which builds Azure's own URLs
//     ({endpoint}/openai/deployments/<deployment>/…?api-version=, header api-key) — run against
//     the mock upstream to prove it speaks Azure's URL form; step v1-chat is the plain OpenAI
//     client at {endpoint}/openai/v1 (Azure's v1 API, model in the body)
//   node azure.mjs openai <base_url> <api_key> <step>=<model>...
//     the plain OpenAI client, as an application talks to llmtap's azure/ deployments
// Steps: chat, stream (with include_usage), embeddings, completions, error (a call expected to fail).
import OpenAI, { AzureOpenAI } from 'openai';

const [mode, url, apiKey, ...rest] = process.argv.slice(2);
const apiVersion = mode === 'azure' ? rest.shift() : undefined;
const client =
  mode === 'azure'
    ? new AzureOpenAI({ endpoint: url, apiKey, apiVersion, maxRetries: 0, timeout: 10000 })
    : new OpenAI({ baseURL: url, apiKey, maxRetries: 0, timeout: 10000 });
const print = (step, result) => console.log(JSON.stringify({ step, ...result }));
const messages = [{ role: 'user', content: 'Hello from the Azure test' }];

async function readStream(stream) {
  let content = '';
  let chunks = 0;
  let finish = null;
  let model = null;
  let usage = null;
  for await (const chunk of stream) {
    chunks += 1;
    model = chunk.model ?? model;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta?.content ?? '';
    finish = choice.finish_reason ?? finish;
  }
  return { content, chunks, finish, model, usage };
}

for (const arg of rest) {
  const [step, model] = arg.split('=');
  try {
    if (step === 'chat') {
      const { data, response } = await client.chat.completions
        .create({ model, messages, max_tokens: 50 })
        .withResponse();
      print(step, {
        content: data.choices[0].message.content,
        finish: data.choices[0].finish_reason,
        model: data.model,
        usage: data.usage,
        call_id: response.headers.get('x-litellm-call-id'),
      });
    } else if (step === 'v1-chat') {
      const v1 = new OpenAI({ baseURL: `${url}/openai/v1`, apiKey, maxRetries: 0, timeout: 10000 });
      const data = await v1.chat.completions.create({ model, messages });
      print(step, { content: data.choices[0].message.content, model: data.model });
    } else if (step === 'stream') {
      const stream = await client.chat.completions.create({
        model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      print(step, await readStream(stream));
    } else if (step === 'embeddings') {
      const data = await client.embeddings.create({ model, input: 'embed me', encoding_format: 'float' });
      print(step, {
        object: data.object,
        dimensions: data.data[0].embedding.length,
        model: data.model,
        usage: data.usage,
      });
    } else if (step === 'completions') {
      const data = await client.completions.create({ model, prompt: 'Say hi', max_tokens: 5 });
      print(step, { text: data.choices[0].text, model: data.model, usage: data.usage });
    } else if (step === 'error') {
      await client.chat.completions.create({ model, messages });
      print(step, { status: 200 });
    } else {
      print(step, { error: `unknown step ${step}` });
    }
  } catch (err) {
    print(step, {
      status: err.status ?? null,
      error: String(err.message ?? err),
      type: err.constructor?.name,
    });
  }
}
