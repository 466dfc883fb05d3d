/**
 * A fake OpenAI-compatible endpoint on 127.0.0.1 (`/v1/chat/completions`, `/v1/embeddings`) for the
 * real `openai` client. It records every request and answers by rule: by default a well-formed text
 * in the language and style the prompt asks for (read from its `Language: Korean (ko)` line); tests
 * queue other answers (errors, empty, wrong language, mentions, delays) or add rules. No test
 * framework imports: scripts and benchmarks use it too.
 * @module
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config.js';

export interface LlmRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** Chat requests: the system and user messages. */
  system: string;
  user: string;
  /** The language code the prompt asks for, from its `Language: Name (code)` line. */
  language: string | undefined;
  /** What the prompt asks for, read from its wording. */
  task: 'tldr' | 'bullets' | 'pulse' | 'insights' | 'translation' | 'embeddings' | 'unknown';
}

/** How to answer one request; unset fields take the default answer's values. */
export interface LlmAnswer {
  /** The message content (null sends `content: null`). */
  content?: string | null;
  status?: number;
  headers?: Record<string, string>;
  /** A raw body instead of a completion (with `status`, an error body). */
  body?: string;
  finishReason?: 'stop' | 'length';
  /** Answer this much later (the client may time out first). */
  delayMs?: number;
  /** Leave `usage` out, as some local servers do. */
  noUsage?: boolean;
}

/** Returns an answer, or undefined to leave the request to the next rule and then the default. */
export type LlmRule = (req: LlmRequest) => LlmAnswer | undefined;

export interface FakeLlm {
  /** The base URL to give the client: `http://127.0.0.1:PORT/v1`. */
  url: string;
  requests: LlmRequest[];
  /** Chat completion requests only. */
  readonly chats: LlmRequest[];
  readonly embeddingRequests: LlmRequest[];
  /** The most requests answered at the same moment. */
  readonly maxConcurrent: number;
  /** Answers the next requests with these, in order, before any rule. */
  answerNext(...answers: LlmAnswer[]): void;
  /** Adds a rule, tried before earlier ones. */
  rule(rule: LlmRule): void;
  /** Every answer from now on is `ms` later (a slow model); 0 turns it off. */
  setLatency(ms: number): void;
  /** Holds every answer until `release()` is called. */
  hold(): void;
  release(): void;
  /** Resolves once `n` requests have arrived. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

/** One sentence per language, the material of default answers. */
export const SAMPLE_SENTENCES: Readonly<Record<string, readonly string[]>> = {
  en: ['Gemma is a family of open models that beats similar models on 11 of 18 tasks.', 'The 7B model reaches 64.3% on MMLU.', 'The authors release both pretrained and tuned checkpoints.'],
  ko: ['Gemma는 18개 과제 중 11개에서 비슷한 크기의 모델을 능가하는 경량 오픈 모델이다.', '70억 매개변수 모델은 MMLU에서 64.3%를 달성했다.', '저자들은 사전 훈련된 체크포인트와 미세 조정된 체크포인트를 모두 공개한다.'],
  ru: ['Gemma — семейство открытых моделей, превосходящих аналоги в 11 из 18 задач.', 'Модель на 7 миллиардов параметров достигает 64,3% на MMLU.', 'Авторы публикуют как предобученные, так и дообученные контрольные точки.'],
  ja: ['Gemmaは18のタスクのうち11で同規模のモデルを上回る軽量なオープンモデルです。', '70億パラメータのモデルはMMLUで64.3%を達成しました。', '著者らは事前学習済みとチューニング済みのチェックポイントを公開しています。'],
  'zh-CN': ['Gemma 是一个轻量级开放模型系列，在 18 项任务中的 11 项上超过同等规模的模型。', '70 亿参数模型在 MMLU 上达到 64.3%。', '作者同时发布了预训练和微调后的检查点。'],
  de: ['Gemma ist eine Familie offener Modelle, die vergleichbare Modelle in 11 von 18 Aufgaben übertrifft.', 'Das Modell mit 7 Milliarden Parametern erreicht 64,3 % bei MMLU.', 'Die Autoren veröffentlichen vortrainierte und abgestimmte Checkpoints.'],
  fr: ['Gemma est une famille de modèles ouverts qui dépasse les modèles comparables sur 11 tâches sur 18.', 'Le modèle de 7 milliards de paramètres atteint 64,3 % sur MMLU.', 'Les auteurs publient des points de contrôle préentraînés et ajustés.'],
  'pt-BR': ['Gemma é uma família de modelos abertos que supera modelos semelhantes em 11 de 18 tarefas.', 'O modelo de 7 bilhões de parâmetros atinge 64,3% no MMLU.', 'Os autores publicam checkpoints pré-treinados e ajustados.'],
};

/** The default answer for a chat request: the asked task, in the asked language. */
export function defaultContent(req: LlmRequest): string {
  const s = SAMPLE_SENTENCES[req.language ?? 'en'] ?? SAMPLE_SENTENCES.en!;
  switch (req.task) {
    case 'bullets':
      return s.map((line) => `- ${line}`).join('\n');
    case 'pulse':
      return s.join(' ');
    case 'insights':
      return `❓ Why → ${s[0]}\n💡 Key insights → ${s[1]} ${s[2]}`;
    case 'translation': {
      const abstract = /Abstract: (.*)/.exec(req.user)?.[1] ?? '';
      let body = s.join(' ');
      while (body.length < abstract.length) body += ` ${s.join(' ')}`;
      return `${s[0]!.split(/[,—，、。]/)[0]}\n\n${body}`;
    }
    default:
      return s[0]!;
  }
}

function taskOf(path: string, system: string): LlmRequest['task'] {
  if (path.endsWith('/embeddings')) return 'embeddings';
  if (/^Translate /m.test(system)) return 'translation';
  if (system.includes('bullet points')) return 'bullets';
  if (system.includes('❓ Why')) return 'insights';
  if (system.includes('one paragraph')) return 'pulse';
  if (system.includes('one sentence')) return 'tldr';
  return 'unknown';
}

/** A deterministic embedding: words hashed into `dimensions` buckets, normalised. Shared words mean nearby vectors. */
export function fakeEmbedding(text: string, dimensions = 32): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/\p{L}{3,}/gu) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
    v[h % dimensions]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export interface FakeLlmOptions {
  /** The models served (`GET /v1/models`); when set, a request for another model gets 404 model_not_found, as OpenAI answers. */
  models?: string[];
  /** The only key accepted (401 invalid_api_key otherwise); any key when unset, as local servers do. */
  apiKey?: string;
  /** Size of the default embeddings (32). */
  dimensions?: number;
  /** Embeds one input instead of the hashed bag of words. */
  embed?: (text: string) => number[];
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const requests: LlmRequest[] = [];
  const queued: LlmAnswer[] = [];
  const rules: LlmRule[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const held: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let holding = false;
  let latency = 0;
  let inFlight = 0;
  let maxConcurrent = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      maxConcurrent = Math.max(maxConcurrent, inFlight);
      let done = false;
      const settle = () => {
        if (!done) inFlight--;
        done = true;
      };
      res.on('close', settle);
      res.on('finish', settle);

      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // Left empty: the answer says so.
      }
      const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: string }[]) : [];
      const system = messages.find((m) => m.role === 'system')?.content ?? '';
      const user = messages.find((m) => m.role === 'user')?.content ?? '';
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const recorded: LlmRequest = {
        path, headers: req.headers, body, system, user,
        language: /^Language: .*\(([^()\s]+)\)\s*$/m.exec(system)?.[1],
        task: taskOf(path, system),
      };
      requests.push(recorded);
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }

      const refusal = refuse(recorded, options);
      const answer = refusal ?? queued.shift() ?? rules.map((r) => r(recorded)).find((a) => a !== undefined) ?? {};
      const reply = render(recorded, answer, options.embed ?? ((text) => fakeEmbedding(text, options.dimensions ?? 32)));
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body);
      };
      const later = () => {
        const delay = (answer.delayMs ?? 0) + latency;
        if (!delay) return send();
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, delay);
        timers.add(timer);
      };
      if (holding) held.push(later);
      else later();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get chats() {
      return requests.filter((r) => r.path.endsWith('/chat/completions'));
    },
    get embeddingRequests() {
      return requests.filter((r) => r.path.endsWith('/embeddings'));
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    answerNext: (...answers) => void queued.push(...answers),
    setLatency: (ms) => {
      latency = ms;
    },
    rule: (rule) => void rules.unshift(rule),
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    waitForRequests: (n) => (requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      held.length = 0;
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function openAiError(status: number, message: string, code: string): LlmAnswer {
  return { status, body: JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } }) };
}

/** What the endpoint itself answers before any queued answer or rule: the model list, a wrong key, an unknown model. */
function refuse(req: LlmRequest, options: FakeLlmOptions): LlmAnswer | undefined {
  if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
    return openAiError(401, 'Incorrect API key provided.', 'invalid_api_key');
  }
  if (req.path.endsWith('/models')) {
    const data = (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' }));
    return { body: JSON.stringify({ object: 'list', data }) };
  }
  const model = typeof req.body.model === 'string' ? req.body.model : '';
  if (options.models && !options.models.includes(model)) {
    return openAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
  }
  return undefined;
}

function render(req: LlmRequest, answer: LlmAnswer, embed: (text: string) => number[]): { status: number; headers: Record<string, string>; body: string } {
  const status = answer.status ?? 200;
  const headers = answer.headers ?? {};
  if (answer.body !== undefined) return { status, headers, body: answer.body };
  if (status >= 400) return { status, headers, body: JSON.stringify({ error: { message: `fake failure ${status}`, type: 'fake', code: null } }) };
  const model = typeof req.body.model === 'string' ? req.body.model : 'fake';

  if (req.task === 'embeddings') {
    const input = req.body.input;
    const inputs = Array.isArray(input) ? (input as string[]) : [String(input ?? '')];
    const data = inputs.map((text, index) => {
      const vector = embed(text);
      const embedding = req.body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.join(' ').length >> 2;
    return { status, headers, body: JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }) };
  }

  const content = answer.content === undefined ? defaultContent(req) : answer.content;
  const promptTokens = Math.ceil((req.system.length + req.user.length) / 4);
  const completionTokens = Math.ceil((content ?? '').length / 4);
  return {
    status,
    headers,
    body: JSON.stringify({
      id: `chatcmpl-fake-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: answer.finishReason ?? 'stop' }],
      ...(answer.noUsage ? {} : { usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }),
    }),
  };
}

/** Client settings pointing at a fake: no rate limit, a short timeout; override what a test is about. */
export function llmSettings(url: string, overrides: Partial<LlmTestSettings> = {}): LlmTestSettings {
  return { baseUrl: url, apiKey: 'test-key', model: 'fake-model', embeddingsModel: undefined, timeoutMs: 2000, concurrency: 4, requestsPerMinute: 0, ...overrides };
}

/** The LLM part of Config, as the client takes it. */
export type LlmTestSettings = NonNullable<Config['llm']>;

/** The Gemma paper as tests store it (2403.08295), with HF's AI summary. */
export const GEMMA = {
  id: '2403.08295',
  title: 'Gemma: Open Models Based on Gemini Research and Technology',
  authors: ['Thomas Mesnard', 'Cassidy Hardin', 'Robert Dadashi', 'Surya Bhupatiraju', 'Shreya Pathak', 'Laurent Sifre', 'Morgane Rivière', 'Amélie Héliou'],
  abstract:
    'This work introduces Gemma, a family of lightweight, state-of-the art open\nmodels built from the research and technology used to create Gemini models.\n' +
    'Gemma models demonstrate strong performance across academic benchmarks for\nlanguage understanding, reasoning, and safety. We release two sizes of models\n' +
    '(2 billion and 7 billion parameters), and provide both pretrained and\nfine-tuned checkpoints. Gemma outperforms similarly sized open models on 11 out\n' +
    'of 18 text-based tasks, and we present comprehensive evaluations of safety and\nresponsibility aspects of the models, alongside a detailed description of model\n' +
    'development. We believe the responsible release of LLMs is critical for\nimproving the safety of frontier models, and for enabling the next wave of LLM\ninnovations.',
  aiSummary: 'Gemma is a family of lightweight open models (2B and 7B parameters) built from Gemini research that outperforms similarly sized open models on 11 of 18 text-based tasks.',
  publishedAt: '2024-03-13T17:59:00Z',
  categories: ['cs.CL', 'cs.AI'],
};
