/**
 * Hugging Face and arXiv: each answers one small request (one arXiv call only, within its terms).
 * @module
 */
import { fail, ok, probe, UnreachableError, type CheckResult, type DoctorContext } from './check.js';

export async function checkSources(ctx: DoctorContext): Promise<CheckResult[]> {
  const { hf, arxiv } = ctx.config;
  const today = new Date().toISOString().slice(0, 10);
  const results: CheckResult[] = [];
  try {
    const p = await probe(`${hf.apiUrl}/api/daily_papers?date=${today}&limit=1`, { headers: hf.token ? { authorization: `Bearer ${hf.token}` } : {} }, ctx.timeoutMs);
    if (p.status === 401) results.push(fail('sources', 'Hugging Face', `HF_TOKEN refused (HTTP 401) at ${hf.apiUrl}`, 'create a read token at huggingface.co/settings/tokens, or leave HF_TOKEN empty'));
    else if (p.status === 429) results.push(fail('sources', 'Hugging Face', 'rate limited (HTTP 429)', 'set HF_TOKEN for 1,000 instead of 500 calls per 5 minutes, or wait'));
    else if (p.status >= 400 || !p.text.trimStart().startsWith('[')) results.push(fail('sources', 'Hugging Face', `${hf.apiUrl} answered HTTP ${p.status}, not a daily list`, 'check HF_API_URL (https://huggingface.co)'));
    else results.push(ok('sources', 'Hugging Face', `${hf.apiUrl} answers (${p.ms} ms)`));
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    results.push(fail('sources', 'Hugging Face', `cannot reach ${hf.apiUrl} (${err.message})`, 'check the network, a proxy or firewall, and HF_API_URL'));
  }
  try {
    const p = await probe(`${arxiv.apiUrl}?id_list=2403.08295&max_results=1`, {}, ctx.timeoutMs);
    if (p.status === 429 || p.status === 503) results.push(fail('sources', 'arXiv', `refused for now (HTTP ${p.status}): too many requests from this address`, 'wait; keep ARXIV_MIN_INTERVAL_MS at 3000 or more'));
    else if (p.status >= 400 || !p.text.includes('<feed')) results.push(fail('sources', 'arXiv', `${arxiv.apiUrl} answered HTTP ${p.status}, not an Atom feed`, 'check ARXIV_API_URL (https://export.arxiv.org/api/query)'));
    else results.push(ok('sources', 'arXiv', `${arxiv.apiUrl} answers (${p.ms} ms)`));
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    results.push(fail('sources', 'arXiv', `cannot reach ${arxiv.apiUrl} (${err.message})`, 'check the network, a proxy or firewall, and ARXIV_API_URL'));
  }
  return results;
}
