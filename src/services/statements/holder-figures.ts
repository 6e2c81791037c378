import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { type Queryable, rowShape, rowsOf } from '../../db/database';
import { memberMoney } from '../../domain/ledger';
import type { Language } from '../../domain/vocabulary';
import { awardInForceJson } from '../awards';
import { moneyFromDb } from '../../domain/money';

const numeric = z.string();
const nullableText = z.string().nullable();

/** What a holder statement is built from, as one query returns it (money as NUMERIC text, dates as ISO text). */
const HolderFiguresRow = rowShape('holder statement figures', {
  figures: z.object({
    member: z
      .object({
        id: z.string(),
        coopId: z.string(),
        name: z.string(),
        laReference: nullableText,
        localAuthorityId: nullableText,
        preferredLanguage: z.string(),
      })
      .nullable(),
    coop: z.object({ name: z.string(), nameCy: nullableText }),
    localAuthority: z
      .object({ code: z.string(), name: z.string(), nameCy: z.string(), surplusThresholdWeeks: z.number() })
      .nullable(),
    award: z.object({ amount: numeric, frequency: z.string() }).nullable(),
    accounts: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['holder_funds', 'pool_share']),
        poolName: nullableText,
        opening: numeric,
      }),
    ),
    movements: z.array(
      z.object({
        entryId: z.string(),
        valueDate: z.string(),
        kind: z.string(),
        memo: z.string(),
        reference: nullableText,
        providerName: nullableText,
        costDescription: nullableText,
        poolName: nullableText,
        accountId: z.string(),
        category: nullableText,
        amount: numeric,
      }),
    ),
    sharedCosts: z.array(
      z.object({
        entryId: z.string(),
        valueDate: z.string(),
        poolName: z.string(),
        category: z.string(),
        description: z.string(),
        total: numeric,
        method: z.string(),
        memberCount: z.number().int(),
        share: numeric,
      }),
    ),
    purchases: z.array(
      z.object({
        purchaseId: z.string(),
        invoiceDate: z.string(),
        providerName: z.string(),
        invoiceReference: z.string(),
        amount: numeric,
        individualAmount: numeric,
      }),
    ),
  }),
});

/**
 * Everything a holder statement shows, read by one statement: one snapshot (the figures agree with one another) and
 * one round trip, which matters when statements are issued in bulk. Undefined when the co-op has no such member.
 */
export async function readHolderFigures(
  db: Queryable,
  coopId: string,
  memberId: string,
  from: string,
  to: string,
  language: Language | undefined,
) {
  // Pools are named in the statement's language: the one asked for, else the holder's own.
  const poolName = (pool: string) =>
    sql`case when (select l from lang) = 'cy' then coalesce(${sql.raw(pool)}.name_cy, ${sql.raw(pool)}.name) else ${sql.raw(pool)}.name end`;
  const [row] = rowsOf(
    HolderFiguresRow,
    await db.execute(sql`
      with lang as (
        select coalesce(${language ?? null}::text, m.preferred_language) as l from members m where m.id = ${memberId}
      ), owned as (
        select a.id, a.kind, ${poolName('po')} as pool_name
          from accounts a left join pools po on po.id = a.pool_id
         where a.member_id = ${memberId} and a.kind in ('holder_funds', 'pool_share')
      )
      select json_build_object(
        'member', (select json_build_object('id', m.id, 'coopId', m.coop_id, 'name', m.name, 'laReference', m.la_reference,
                                            'localAuthorityId', m.local_authority_id, 'preferredLanguage', m.preferred_language)
                     from members m where m.id = ${memberId} and m.coop_id = ${coopId}),
        'coop', (select json_build_object('name', c.name, 'nameCy', c.name_cy) from coops c where c.id = ${coopId}),
        'localAuthority', (select json_build_object('code', la.code, 'name', la.name, 'nameCy', la.name_cy, 'surplusThresholdWeeks', la.surplus_threshold_weeks)
                             from members m join local_authorities la on la.id = m.local_authority_id where m.id = ${memberId}),
        -- The award in force at the end of the period, so a past period's weeks of award never change.
        'award', ${awardInForceJson(sql`${memberId}::uuid`, sql`${to}::date`)},
        'accounts', (select coalesce(json_agg(json_build_object('id', o.id, 'kind', o.kind, 'poolName', o.pool_name, 'opening', coalesce(b.total, 0)::text)
                                              order by o.kind, o.id), '[]')
                       from owned o
                       left join lateral (select sum(p.amount) as total from postings p join journal_entries e on e.id = p.entry_id
                                           where p.account_id = o.id and e.value_date < ${from}::date) b on true),
        'movements', (select coalesce(json_agg(json_build_object(
                         'entryId', e.id, 'valueDate', e.value_date, 'kind', e.kind, 'memo', e.memo, 'reference', e.reference,
                         'providerName', (select pr.name from purchases pu join providers pr on pr.id = pu.provider_id
                                           where pu.entry_id = e.counted_entry_id),
                         'costDescription', (select sc.description from shared_costs sc where sc.entry_id = e.counted_entry_id),
                         'poolName', (select ${poolName('po')} from postings p2 join accounts a2 on a2.id = p2.account_id join pools po on po.id = a2.pool_id
                                       where p2.entry_id = e.id order by po.name limit 1),
                         'accountId', p.account_id, 'category', p.category, 'amount', p.amount::text)
                       order by e.value_date, e.id, p.id), '[]')
                        from postings p join counted_entries e on e.id = p.entry_id
                       where p.account_id in (select id from owned) and e.value_date between ${from}::date and ${to}::date),
        'sharedCosts', (select coalesce(json_agg(json_build_object(
                           'entryId', sc.entry_id, 'valueDate', sc.cost_date, 'poolName', ${poolName('po')}, 'category', sc.category,
                           'description', sc.description, 'total', sc.amount::text, 'method', ar.method,
                           'memberCount', (select count(*) from allocation_inputs ai where ai.entry_id = sc.entry_id), 'share', mine.amount::text)
                         order by sc.cost_date, sc.entry_id), '[]')
                          from shared_costs sc
                          join pools po on po.id = sc.pool_id
                          join allocation_records ar on ar.entry_id = sc.entry_id
                          join allocation_inputs mine on mine.entry_id = sc.entry_id and mine.member_id = ${memberId}
                         where sc.cost_date between ${from}::date and ${to}::date),
        'purchases', (select coalesce(json_agg(json_build_object(
                         'purchaseId', pu.id, 'invoiceDate', pu.invoice_date, 'providerName', pr.name, 'invoiceReference', pu.invoice_reference,
                         'amount', ps.amount::text, 'individualAmount', ps.individual_amount::text)
                       order by pu.invoice_date, pu.id), '[]')
                        from purchase_shares ps join purchases pu on pu.id = ps.purchase_id join providers pr on pr.id = pu.provider_id
                       where ps.member_id = ${memberId} and pu.invoice_date between ${from}::date and ${to}::date)
      ) as figures`),
  );
  const figures = row!.figures;
  if (!figures.member) return undefined;
  return {
    member: figures.member,
    coop: figures.coop,
    localAuthority: figures.localAuthority,
    award: figures.award ? { amount: moneyFromDb(figures.award.amount), frequency: figures.award.frequency } : null,
    accounts: figures.accounts.map((a) => ({ ...a, opening: memberMoney(moneyFromDb(a.opening)) })),
    movements: figures.movements.map((m) => ({ ...m, amount: memberMoney(moneyFromDb(m.amount)) })),
    sharedCosts: figures.sharedCosts.map((c) => ({ ...c, total: moneyFromDb(c.total), share: moneyFromDb(c.share) })),
    purchases: figures.purchases.map((p) => ({
      ...p,
      amount: moneyFromDb(p.amount),
      individualAmount: moneyFromDb(p.individualAmount),
    })),
  };
}
