// The official @aws-sdk/client-bedrock-runtime (the Converse API LiteLLM calls for bedrock/
// models) against the Bedrock mock (tests/support/mock_bedrock.h), with the SDK's own SigV4
// signer and event-stream decoder:
//   node bedrock.mjs <endpoint> <accessKeyId> <secretAccessKey> <sessionKeyId> <sessionSecret>
//                    <sessionToken> <step>...
// Steps: converse, tool, cache, stream, stream-tool, stream-error, session, bad-secret,
// unknown-key, throttled, validation. Each prints one JSON line {"step": …, …} with what the SDK
// made of the answer; a step the SDK failed prints {"step": …, "unexpected": "<error>"}.
// tests/integration/bedrock_sdk_test.cc asserts them.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { failure as failureOf, runSteps } from './steps.mjs';

const [endpoint, keyId, secret, sessionKeyId, sessionSecret, sessionToken, ...steps] =
  process.argv.slice(2);
if (!endpoint || !sessionToken || steps.length === 0) {
  console.error('usage: node bedrock.mjs <endpoint> <keyId> <secret> <sessionKeyId> ' +
                '<sessionSecret> <sessionToken> <step>...');
  process.exit(2);
}

// The SDK speaks HTTP/2 to Bedrock by default; the mock (like LiteLLM's httpx client) speaks
// HTTP/1.1, so the SDK gets its HTTP/1.1 handler. Signing and framing are the same on both.
const clients = [];
function client(credentials) {
  const made = new BedrockRuntimeClient({ region: 'us-east-1', endpoint, credentials,
                                          maxAttempts: 1, requestHandler: new NodeHttpHandler() });
  clients.push(made);
  return made;
}
const signed = client({ accessKeyId: keyId, secretAccessKey: secret });

const weatherTool = {
  toolSpec: {
    name: 'get_weather',
    description: 'The weather in a city',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } },
  },
};

function input(modelId, extra = {}) {
  return { modelId, messages: [{ role: 'user', content: [{ text: 'hello there' }] }], ...extra };
}

// What the SDK exposes of a whole answer.
function describe(answer) {
  const content = answer.output?.message?.content ?? [];
  return {
    status: answer.$metadata?.httpStatusCode ?? null,
    role: answer.output?.message?.role ?? null,
    text: content.map((block) => block.text ?? '').join(''),
    tool_uses: content.filter((block) => block.toolUse).map((block) => block.toolUse),
    stop_reason: answer.stopReason ?? null,
    usage: answer.usage ?? null,
    latency_ms: answer.metrics?.latencyMs ?? null,
  };
}

// What the SDK makes of a failure: its exception class (from x-amzn-ErrorType), status, message.
function describeError(error) {
  return {
    name: error?.name ?? null,
    status: error?.$metadata?.httpStatusCode ?? null,
    fault: error?.$fault ?? null,
    message: String(error?.message ?? error),
  };
}

const failure = (run) => failureOf(run, describeError);

// Streams with the SDK and assembles what its events say.
async function streamed(commandInput, via = signed) {
  const answer = await via.send(new ConverseStreamCommand(commandInput));
  const out = { events: [], text: '', tool_inputs: '', tool_starts: [], stop_reason: null,
                usage: null };
  try {
    for await (const event of answer.stream) {
      const [name] = Object.keys(event);
      out.events.push(name);
      if (event.contentBlockDelta?.delta?.text) out.text += event.contentBlockDelta.delta.text;
      if (event.contentBlockDelta?.delta?.toolUse) {
        out.tool_inputs += event.contentBlockDelta.delta.toolUse.input;
      }
      if (event.contentBlockStart?.start?.toolUse) {
        out.tool_starts.push(event.contentBlockStart.start.toolUse);
      }
      if (event.messageStop) out.stop_reason = event.messageStop.stopReason;
      if (event.metadata) out.usage = event.metadata.usage;
    }
  } catch (error) {
    out.error = describeError(error);
  }
  return out;
}

const stepsByName = {
  converse: async () => describe(await signed.send(new ConverseCommand(input('amazon.nova-lite-v1:0')))),
  tool: async () =>
    describe(await signed.send(new ConverseCommand(
      input('anthropic.claude-tool-v1:0', { toolConfig: { tools: [weatherTool] } })))),
  cache: async () => describe(await signed.send(new ConverseCommand(input('us.anthropic.cache-v1:0')))),
  stream: async () => streamed(input('anthropic.claude-3-haiku-20240307-v1:0')),
  'stream-tool': async () =>
    streamed(input('anthropic.claude-tool-v1:0', { toolConfig: { tools: [weatherTool] } })),
  'stream-error': async () => streamed(input('anthropic.midstream-error-v1:0')),
  session: async () => {
    const temporary = client({ accessKeyId: sessionKeyId, secretAccessKey: sessionSecret,
                               sessionToken });
    return describe(await temporary.send(new ConverseCommand(input('amazon.nova-lite-v1:0'))));
  },
  'bad-secret': async () => failure(() =>
    client({ accessKeyId: keyId, secretAccessKey: `${secret}-wrong` })
      .send(new ConverseCommand(input('amazon.nova-lite-v1:0')))),
  'unknown-key': async () => failure(() =>
    client({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: secret })
      .send(new ConverseCommand(input('amazon.nova-lite-v1:0')))),
  throttled: async () => failure(() =>
    signed.send(new ConverseCommand(input('anthropic.status-429-v1:0')))),
  validation: async () => failure(() =>
    signed.send(new ConverseCommand({
      modelId: 'amazon.nova-lite-v1:0',
      messages: [{ role: 'assistant', content: [{ text: 'I start' }] }],
    }))),
};

await runSteps(stepsByName, steps);
// A stream the SDK stopped reading (an exception frame) leaves its keep-alive socket referenced:
// close every client's connections so node exits when the steps are done.
for (const made of clients) made.destroy();
process.exit(0);
