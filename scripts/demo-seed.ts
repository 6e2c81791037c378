/**
 * A realistic demo co-op, created through the public API so the demo exercises the real routes: two Welsh local
 * authorities, twelve holders (names with ŵ and ŷ among them), two pools and three months of fortnightly DP
 * receipts and contributions, dated in the past so every figure is already "as of today".
 */
import type { FastifyInstance } from 'fastify';

export interface DemoTokens {
  coopId: string;
  admin: string;
  treasurer: string;
  holder: { token: string; memberId: string; name: string };
  laOfficer: { token: string; laId: string };
}

const HOLDERS: { name: string; la: 'WXM' | 'FLN'; weekly: string; lang: 'en' | 'cy' }[] = [
  { name: 'Dafydd Tŷ-Gwyn', la: 'WXM', weekly: '212.40', lang: 'cy' },
  { name: 'Gwenllian Ŵyn', la: 'WXM', weekly: '186.00', lang: 'cy' },
  { name: 'Siân Llŷr', la: 'FLN', weekly: '240.15', lang: 'cy' },
  { name: 'Rhys Pritchard', la: 'WXM', weekly: '198.50', lang: 'en' },
  { name: 'Megan Ellis-Hughes', la: 'FLN', weekly: '175.00', lang: 'en' },
  { name: 'Owain ap Gruffydd', la: 'WXM', weekly: '230.00', lang: 'cy' },
  { name: 'Elin Mŷrddin', la: 'FLN', weekly: '204.80', lang: 'cy' },
  { name: 'Tomos Jenkins', la: 'WXM', weekly: '160.25', lang: 'en' },
  { name: 'Catrin Ŵen Morgan', la: 'FLN', weekly: '221.10', lang: 'cy' },
  { name: 'Gareth Price', la: 'WXM', weekly: '189.90', lang: 'en' },
  { name: 'Nia Bryn-Dŵr', la: 'FLN', weekly: '199.99', lang: 'cy' },
  { name: 'Huw Roberts', la: 'WXM', weekly: '215.00', lang: 'en' },
];

/** What the seed reads back from a created resource. */
interface Created {
  id: string;
  token: string;
}

type Call = (method: string, url: string, token: string, body?: unknown) => Promise<Created>;

function caller(app: FastifyInstance): Call {
  return async (method, url, token, body) => {
    const res = await app.inject({
      method: method as 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`demo seed: ${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.body ? JSON.parse(res.body) : undefined;
  };
}

function isoDaysBefore(today: Date, days: number): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Fortnightly amounts are two weeks of award; the pool contributions are a fixed part of each receipt. */
function twice(weekly: string): string {
  const [pounds = '0', pence = '0'] = weekly.split('.');
  const totalPence = (BigInt(pounds) * 100n + BigInt(pence.padEnd(2, '0'))) * 2n;
  return `${totalPence / 100n}.${String(totalPence % 100n).padStart(2, '0')}`;
}

export async function seedDemo(app: FastifyInstance, adminToken: string, today = new Date()): Promise<DemoTokens> {
  const call = caller(app);
  const wxm = await call('POST', '/v1/local-authorities', adminToken, { name: 'Wrexham County Borough Council', nameCy: 'Cyngor Bwrdeistref Sirol Wrecsam', code: 'WXM' });
  const fln = await call('POST', '/v1/local-authorities', adminToken, { name: 'Flintshire County Council', nameCy: 'Cyngor Sir y Fflint', code: 'FLN', surplusThresholdWeeks: 6 });
  const coop = await call('POST', '/v1/coops', adminToken, { name: 'Cronfa Gofal Gogledd Ddwyrain', nameCy: 'Cronfa Gofal Gogledd Ddwyrain', registrationNumber: 'RS008123' });
  const c = `/v1/coops/${coop.id}`;
  const treasurer = await call('POST', '/v1/tokens', adminToken, { role: 'treasurer', label: 'Treasurer (demo)', coopId: coop.id });
  const officer = await call('POST', '/v1/tokens', adminToken, { role: 'la_officer', label: 'Wrexham DP monitoring officer (demo)', localAuthorityId: wxm.id });
  const t = treasurer.token as string;

  const sharedPa = await call('POST', `${c}/pools`, t, { name: 'Shared PA team', nameCy: 'Tîm PA a rennir', purpose: 'Two personal assistants shared by day and a waking night rota' });
  const activities = await call('POST', `${c}/pools`, t, { name: 'Day activities', nameCy: 'Gweithgareddau dydd', purpose: 'Block-booked sessions at the community garden and the arts centre' });

  const holders: { id: string; name: string; weekly: string }[] = [];
  for (const [index, holder] of HOLDERS.entries()) {
    const la = holder.la === 'WXM' ? wxm : fln;
    const member = await call('POST', `${c}/members`, t, {
      name: holder.name,
      stakeholderClass: 'holder',
      localAuthorityId: la.id,
      laReference: `${holder.la}-DP-${1001 + index}`,
      preferredLanguage: holder.lang,
    });
    await call('PUT', `${c}/members/${member.id}/award`, t, { amount: holder.weekly, frequency: 'weekly', startsOn: isoDaysBefore(today, 120) });
    holders.push({ id: member.id, name: holder.name, weekly: holder.weekly });
  }
  await call('POST', `${c}/members`, t, { name: 'Bethan Lewis', stakeholderClass: 'worker', preferredLanguage: 'cy' });
  await call('POST', `${c}/members`, t, { name: 'Alun Davies', stakeholderClass: 'family_carer', preferredLanguage: 'en' });

  for (const [index, holder] of holders.entries()) {
    await call('POST', `${c}/pools/${sharedPa.id}/members`, t, { memberId: holder.id, agreedContribution: { amount: '120.00', frequency: 'weekly' } });
    if (index % 2 === 0) await call('POST', `${c}/pools/${activities.id}/members`, t, { memberId: holder.id, agreedContribution: { amount: '35.00', frequency: 'weekly' } });
  }

  // Six fortnightly receipts over three months, each followed by the agreed contributions.
  for (let fortnight = 6; fortnight >= 1; fortnight -= 1) {
    const receivedOn = isoDaysBefore(today, fortnight * 14 + 2);
    const contributedOn = isoDaysBefore(today, fortnight * 14);
    for (const [index, holder] of holders.entries()) {
      await call('POST', `${c}/receipts`, t, { memberId: holder.id, amount: twice(holder.weekly), receivedOn, reference: `LA-${receivedOn.replaceAll('-', '')}-${index + 1}` });
      await call('POST', `${c}/pools/${sharedPa.id}/contributions`, t, { memberId: holder.id, amount: '240.00', date: contributedOn });
      if (index % 2 === 0) await call('POST', `${c}/pools/${activities.id}/contributions`, t, { memberId: holder.id, amount: '70.00', date: contributedOn });
    }
  }

  const first = holders[0]!;
  const holderToken = await call('POST', '/v1/tokens', t, { role: 'holder', label: `Holder ${first.name} (demo)`, coopId: coop.id, memberId: first.id });
  return {
    coopId: coop.id,
    admin: adminToken,
    treasurer: t,
    holder: { token: holderToken.token, memberId: first.id, name: first.name },
    laOfficer: { token: officer.token, laId: wxm.id },
  };
}
