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
  entryId: string;
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

export function isoDaysBefore(today: Date, days: number): string {
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
  const wxm = await call('POST', '/v1/local-authorities', adminToken, {
    name: 'Wrexham County Borough Council',
    nameCy: 'Cyngor Bwrdeistref Sirol Wrecsam',
    code: 'WXM',
  });
  const fln = await call('POST', '/v1/local-authorities', adminToken, {
    name: 'Flintshire County Council',
    nameCy: 'Cyngor Sir y Fflint',
    code: 'FLN',
    surplusThresholdWeeks: 6,
  });
  const coop = await call('POST', '/v1/coops', adminToken, {
    name: 'Cronfa Gofal Gogledd Ddwyrain',
    nameCy: 'Cronfa Gofal Gogledd Ddwyrain',
    registrationNumber: 'RS008123',
  });
  const c = `/v1/coops/${coop.id}`;
  const treasurer = await call('POST', '/v1/tokens', adminToken, {
    role: 'treasurer',
    label: 'Treasurer (demo)',
    coopId: coop.id,
  });
  const officer = await call('POST', '/v1/tokens', adminToken, {
    role: 'la_officer',
    label: 'Wrexham DP monitoring officer (demo)',
    localAuthorityId: wxm.id,
  });
  const t = treasurer.token as string;

  const sharedPa = await call('POST', `${c}/pools`, t, {
    name: 'Shared PA team',
    nameCy: 'Tîm PA a rennir',
    purpose: 'Two personal assistants shared by day and a waking night rota',
  });
  const activities = await call('POST', `${c}/pools`, t, {
    name: 'Day activities',
    nameCy: 'Gweithgareddau dydd',
    purpose: 'Block-booked sessions at the community garden and the arts centre',
  });

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
    await call('PUT', `${c}/members/${member.id}/award`, t, {
      amount: holder.weekly,
      frequency: 'weekly',
      startsOn: isoDaysBefore(today, 120),
    });
    holders.push({ id: member.id, name: holder.name, weekly: holder.weekly });
  }
  await call('POST', `${c}/members`, t, { name: 'Bethan Lewis', stakeholderClass: 'worker', preferredLanguage: 'cy' });
  await call('POST', `${c}/members`, t, {
    name: 'Alun Davies',
    stakeholderClass: 'family_carer',
    preferredLanguage: 'en',
  });

  for (const [index, holder] of holders.entries()) {
    await call('POST', `${c}/pools/${sharedPa.id}/members`, t, {
      memberId: holder.id,
      joinedOn: isoDaysBefore(today, 120),
      agreedContribution: { amount: '120.00', frequency: 'weekly' },
    });
    if (index % 2 === 0)
      await call('POST', `${c}/pools/${activities.id}/members`, t, {
        memberId: holder.id,
        joinedOn: isoDaysBefore(today, 120),
        agreedContribution: { amount: '35.00', frequency: 'weekly' },
      });
  }

  // Six fortnightly receipts over three months, each followed by the agreed contributions.
  for (let fortnight = 6; fortnight >= 1; fortnight -= 1) {
    const receivedOn = isoDaysBefore(today, fortnight * 14 + 2);
    const contributedOn = isoDaysBefore(today, fortnight * 14);
    for (const [index, holder] of holders.entries()) {
      await call('POST', `${c}/receipts`, t, {
        memberId: holder.id,
        amount: twice(holder.weekly),
        receivedOn,
        reference: `LA-${receivedOn.replaceAll('-', '')}-${index + 1}`,
      });
      await call('POST', `${c}/pools/${sharedPa.id}/contributions`, t, {
        memberId: holder.id,
        amount: '240.00',
        date: contributedOn,
      });
      if (index % 2 === 0)
        await call('POST', `${c}/pools/${activities.id}/contributions`, t, {
          memberId: holder.id,
          amount: '70.00',
          date: contributedOn,
        });
    }
  }

  await seedPurchasing(call, c, t, { sharedPaId: sharedPa.id, activitiesId: activities.id, holders, today });

  const first = holders[0]!;
  const holderToken = await call('POST', '/v1/tokens', t, {
    role: 'holder',
    label: `Holder ${first.name} (demo)`,
    coopId: coop.id,
    memberId: first.id,
  });
  return {
    coopId: coop.id,
    admin: adminToken,
    treasurer: t,
    holder: { token: holderToken.token, memberId: first.id, name: first.name },
    laOfficer: { token: officer.token, laId: wxm.id },
  };
}

/**
 * Providers with rate cards, and three months of buying: fortnightly shared-PA invoices at the pool's volume rate,
 * block-booked day activities, the bookkeeper and payroll bureau as shared costs, and a little care bought from
 * holders' own funds. Most invoices are paid; the latest are left owing.
 */
async function seedPurchasing(
  call: Call,
  c: string,
  t: string,
  demo: { sharedPaId: string; activitiesId: string; holders: { id: string }[]; today: Date },
): Promise<void> {
  const provider = async (body: Record<string, unknown>, services: Record<string, unknown>[]) => {
    const created = await call('POST', `${c}/providers`, t, body);
    await call('PUT', `${c}/providers/${created.id}/rates`, t, { services });
    return created.id;
  };
  const paCoop = await provider(
    {
      name: 'Cydweithfa Cymorth Wrecsam',
      kind: 'cooperative',
      ciwNumber: 'SIN-00098765',
      welshLanguageService: true,
      locality: 'Wrecsam',
    },
    [
      {
        serviceType: 'personal_assistance',
        unit: 'hour',
        individualRate: '18.40',
        tierPeriod: 'week',
        tiers: [
          { minUnits: '40', rate: '17.20' },
          { minUnits: '80', rate: '16.90' },
        ],
      },
    ],
  );
  const agency = await provider(
    {
      name: 'Gofal Plus Agency Ltd',
      kind: 'private',
      ciwNumber: 'SIN-00011223',
      welshLanguageService: false,
      locality: 'Chester Road, Wrexham',
    },
    [
      {
        serviceType: 'agency_care',
        unit: 'hour',
        individualRate: '25.60',
        tierPeriod: 'week',
        tiers: [{ minUnits: '60', rate: '24.10' }],
      },
    ],
  );
  const garden = await provider(
    { name: 'Gardd Gymunedol Rhiwabon', kind: 'social_enterprise', welshLanguageService: true, locality: 'Rhiwabon' },
    [
      {
        serviceType: 'day_activities',
        unit: 'session',
        individualRate: '45.00',
        tierPeriod: 'week',
        tiers: [{ minUnits: '5', rate: '36.00' }],
      },
    ],
  );
  const respite = await provider(
    {
      name: 'Seibiant Respite Trust',
      kind: 'charity',
      ciwNumber: 'SIN-00044556',
      welshLanguageService: false,
      locality: 'Yr Wyddgrug / Mold',
    },
    [
      {
        serviceType: 'respite',
        unit: 'night',
        individualRate: '180.00',
        tierPeriod: 'month',
        tiers: [{ minUnits: '4', rate: '155.00' }],
      },
    ],
  );
  const activityMembers = demo.holders.filter((_, index) => index % 2 === 0);

  for (let fortnight = 6; fortnight >= 1; fortnight -= 1) {
    const invoiceDate = isoDaysBefore(demo.today, fortnight * 14 - 10);
    const serviceFrom = isoDaysBefore(demo.today, fortnight * 14);
    const serviceTo = isoDaysBefore(demo.today, fortnight * 14 - 13);
    const pa = await call('POST', `${c}/purchases`, t, {
      providerId: paCoop,
      poolId: demo.sharedPaId,
      invoiceReference: `CCW-${invoiceDate.replaceAll('-', '')}`,
      invoiceDate,
      serviceFrom,
      serviceTo,
      lines: demo.holders.map((h, index) => ({
        serviceType: 'personal_assistance',
        description: 'Shared PA hours',
        units: index % 3 === 0 ? '10' : '7.5',
        unitRate: '17.20',
        memberId: h.id,
      })),
    });
    const sessions = await call('POST', `${c}/purchases`, t, {
      providerId: garden,
      poolId: demo.activitiesId,
      invoiceReference: `GGR-${invoiceDate.replaceAll('-', '')}`,
      invoiceDate,
      serviceFrom,
      serviceTo,
      lines: [
        { serviceType: 'day_activities', description: 'Block-booked garden sessions', units: '10', unitRate: '36.00' },
      ],
      allocation: {
        method: 'usage',
        units: Object.fromEntries(activityMembers.map((h, index) => [h.id, index % 2 === 0 ? '2' : '1.5'])),
      },
    });
    await call('POST', `${c}/pools/${demo.sharedPaId}/costs`, t, {
      category: 'payroll_services',
      description: 'Payroll bureau run',
      amount: '45.00',
      date: invoiceDate,
      allocation: { method: 'equal' },
    });
    if (fortnight > 1) {
      for (const purchase of [pa, sessions]) {
        const detail = (await call('GET', `${c}/purchases/${purchase.id}`, t)) as unknown as { total: string };
        await call('POST', `${c}/purchases/${purchase.id}/payments`, t, {
          amount: detail.total,
          paidOn: isoDaysBefore(demo.today, fortnight * 14 - 12),
          reference: `BACS ${purchase.id.slice(-6)}`,
        });
      }
    }
  }
  for (const month of [3, 2, 1]) {
    await call('POST', `${c}/pools/${demo.sharedPaId}/costs`, t, {
      category: 'admin',
      description: 'Bookkeeper',
      amount: '300.00',
      date: isoDaysBefore(demo.today, month * 28 - 3),
      allocation: { method: 'equal' },
    });
  }
  await call('POST', `${c}/pools/${demo.sharedPaId}/costs`, t, {
    category: 'insurance',
    description: 'Employer and public liability insurance',
    amount: '420.00',
    date: isoDaysBefore(demo.today, 40),
    allocation: { method: 'contributions', from: isoDaysBefore(demo.today, 100), to: isoDaysBefore(demo.today, 41) },
  });
  await call('POST', `${c}/purchases`, t, {
    providerId: agency,
    memberId: demo.holders[1]!.id,
    invoiceReference: 'GPA-7741',
    invoiceDate: isoDaysBefore(demo.today, 30),
    serviceFrom: isoDaysBefore(demo.today, 33),
    serviceTo: isoDaysBefore(demo.today, 31),
    lines: [
      { serviceType: 'agency_care', description: 'Emergency cover while PA off sick', units: '6', unitRate: '25.60' },
    ],
  });
  await call('POST', `${c}/purchases`, t, {
    providerId: respite,
    memberId: demo.holders[2]!.id,
    invoiceReference: 'SRT-2026-118',
    invoiceDate: isoDaysBefore(demo.today, 20),
    serviceFrom: isoDaysBefore(demo.today, 24),
    serviceTo: isoDaysBefore(demo.today, 22),
    lines: [{ serviceType: 'respite', description: 'Respite nights', units: '2', unitRate: '180.00' }],
  });
}
