// Drives llmtap with the official `openai` npm package, the way an application would, and prints
// one JSON line per step for tests/integration/openai_client_test.cc to check.
// Usage: node client.mjs <base_url> <api_key> <steps...>   (steps: chat stream embeddings models error)
import OpenAI from 'openai';

const [baseURL, apiKey, ...steps] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 10000 });
const print = (step, result) => console.log(JSON.stringify({ step, ...result }));

for (const step of steps) {
  try {
    if (step === 'chat') {
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello from the openai SDK' }] })
        .withResponse();
      print(step, {
        content: data.choices[0].message.content,
        total_tokens: data.usage.total_tokens,
        call_id: response.headers.get('x-litellm-call-id'),
      });
    } else if (step === 'stream') {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Stream to the openai SDK' }],
        stream: true,
      });
      let content = '';
      let chunks = 0;
      for await (const chunk of stream) {
        chunks += 1;
        content += chunk.choices[0]?.delta?.content ?? '';
      }
      print(step, { content, chunks });
    } else if (step === 'embeddings') {
      const data = await client.embeddings.create({ model: 'embedder', input: 'embed me' });
      print(step, { count: data.data.length, dims: data.data[0].embedding.length });
    } else if (step === 'models') {
      const ids = [];
      for await (const model of client.models.list()) ids.push(model.id);
      print(step, { ids });
    } else if (step === 'error') {
      await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
      print(step, { status: 200 });
    } else {
      print(step, { error: `unknown step ${step}` });
    }
  } catch (err) {
    print(step, { status: err.status ?? null, error: String(err.message ?? err), type: err.constructor?.name });
  }
}
