/**
 * The language model endpoint: it serves the configured model (`/models`), answers one tiny completion,
 * and serves the embeddings model when one is set.
 * @module
 */
import { fail, isObject, json, ok, probe, skip, UnreachableError, warn, type CheckResult, type DoctorContext, type Probe } from './check.js';

const AREA = 'llm';

function apiError(p: Probe): string {
  const body = json(p);
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const message = typeof error?.message === 'string' ? error.message : p.text.slice(0, 120);
  return `HTTP ${p.status}${message ? `: ${message.split('\n')[0]}` : ''}`;
}

export async function checkLlm(ctx: DoctorContext): Promise<CheckResult[]> {
  const llm = ctx.config.llm;
  if (!llm) return [skip(AREA, 'endpoint', 'off (LLM_BASE_URL and LLM_MODEL not set): summaries come from Hugging Face or the abstract')];
  const headers = { authorization: `Bearer ${llm.apiKey}`, 'content-type': 'application/json' };
  const results: CheckResult[] = [];
  let models: Probe;
  try {
    models = await probe(`${llm.baseUrl}/models`, { headers }, ctx.timeoutMs);
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    return [fail(AREA, 'endpoint', `cannot reach ${llm.baseUrl} (${err.message})`, 'start the server (e.g. ollama serve), or check LLM_BASE_URL (it ends in /v1)')];
  }
  if (models.status === 401 || models.status === 403) {
    return [fail(AREA, 'endpoint', `${llm.baseUrl} refused LLM_API_KEY (${apiError(models)})`, 'set LLM_API_KEY to a valid key for this endpoint')];
  }
  const list = json(models);
  const served = isObject(list) && Array.isArray(list.data) ? list.data.map((m) => (isObject(m) && typeof m.id === 'string' ? m.id : '')).filter(Boolean) : undefined;
  const has = (model: string) => served?.some((id) => id === model || id === `${model}:latest`) ?? false;
  if (!served) {
    results.push(warn(AREA, 'models', `${llm.baseUrl}/models gave no model list (${apiError(models)}); the completion below tells`));
  } else if (has(llm.model)) {
    results.push(ok(AREA, 'model', `${llm.model} is served at ${llm.baseUrl}`));
  } else {
    results.push(fail(AREA, 'model', `${llm.model} is not served at ${llm.baseUrl} (served: ${served.slice(0, 8).join(', ') || 'none'})`, `set LLM_MODEL to a served model, or fetch it (ollama pull ${llm.model})`));
  }

  try {
    const body = JSON.stringify({ model: llm.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1 });
    const p = await probe(`${llm.baseUrl}/chat/completions`, { method: 'POST', headers, body }, Math.max(ctx.timeoutMs, llm.timeoutMs));
    const answer = json(p);
    if (p.status === 200 && isObject(answer) && Array.isArray(answer.choices)) results.push(ok(AREA, 'completion', `${llm.model} answered in ${p.ms} ms`));
    else results.push(fail(AREA, 'completion', `${llm.model} did not complete (${apiError(p)})`, 'check LLM_MODEL and the server log'));
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    results.push(fail(AREA, 'completion', `no completion (${err.message})`, `a large model on a CPU may need more than LLM_TIMEOUT_MS=${llm.timeoutMs}`));
  }

  if (llm.embeddingsModel) {
    try {
      const body = JSON.stringify({ model: llm.embeddingsModel, input: 'Paperboy doctor', encoding_format: 'float' });
      const p = await probe(`${llm.baseUrl}/embeddings`, { method: 'POST', headers, body }, Math.max(ctx.timeoutMs, llm.timeoutMs));
      const answer = json(p);
      const first = isObject(answer) && Array.isArray(answer.data) && isObject(answer.data[0]) ? answer.data[0].embedding : undefined;
      if (p.status === 200 && Array.isArray(first)) results.push(ok(AREA, 'embeddings', `${llm.embeddingsModel} gives ${first.length} dimensions`));
      else results.push(fail(AREA, 'embeddings', `${llm.embeddingsModel} gave no embedding (${apiError(p)})`, `set LLM_EMBEDDINGS_MODEL to a served embeddings model (e.g. ollama pull ${llm.embeddingsModel}), or leave it empty`));
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
      results.push(fail(AREA, 'embeddings', `no embedding (${err.message})`, 'check the server and LLM_EMBEDDINGS_MODEL'));
    }
  }
  return results;
}
