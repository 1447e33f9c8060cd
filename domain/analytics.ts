/**
 * Learning analytics from daily rollups: time, accuracy, strengths and
 * plain-language insights. Everything is computed from the facts recorded with
 * each action; a figure with too little data behind it is reported as such
 * rather than as a confident percentage.
 */
import { addDays, daysBetween } from "./calendar.ts";
import type { LocalizedText } from "./content_schema.ts";

export const SKILLS = [
  "vocabulary",
  "grammar",
  "listening",
  "reading",
  "writing",
  "speaking",
] as const;

export interface Rollup {
  localDate: string;
  skill: string;
  kind: string;
  actions: number;
  seconds: number;
  xp: number;
  correct: number;
  total: number;
}

/** Seconds as minutes to one decimal, as every figure of study time is shown. */
export function minutesOf(seconds: number): number {
  return Math.round(seconds / 6) / 10;
}

/** Days the insights compare (this week and the one before): always read, whatever the period. */
export const INSIGHT_DAYS = 14;

/**
 * The days an analytics period covers, ending `today` (local dates): the last
 * `days` days, or with `days` null ("all") from the first active day. A first
 * day after today (a time-zone change) is clamped to today. `readFrom` reaches
 * back far enough for the insights as well.
 */
export function periodRange(days: number | null, today: string, firstActive: string | null) {
  let from = days === null ? firstActive ?? today : addDays(today, -(days - 1));
  if (from > today) from = today;
  const insightsFrom = addDays(today, -(INSIGHT_DAYS - 1));
  return { from, readFrom: from < insightsFrom ? from : insightsFrom };
}

/** Cards due on each of the 7 days from `today`, from counts by day offset (later ones dropped). */
export function reviewForecast(today: string, dueByOffset: readonly { day: number; n: number }[]) {
  const forecast = Array.from({ length: 7 }, (_, i) => ({ date: addDays(today, i), due: 0 }));
  for (const f of dueByOffset) if (forecast[f.day]) forecast[f.day].due += f.n;
  return forecast;
}

/** Fewer graded answers than this make an accuracy figure too noisy to compare. */
export const MIN_ANSWERS = 10;

interface Tally {
  actions: number;
  seconds: number;
  xp: number;
  correct: number;
  total: number;
}

function tally(rows: readonly Rollup[]): Tally {
  return rows.reduce(
    (t, r) => ({
      actions: t.actions + r.actions,
      seconds: t.seconds + r.seconds,
      xp: t.xp + r.xp,
      correct: t.correct + r.correct,
      total: t.total + r.total,
    }),
    { actions: 0, seconds: 0, xp: 0, correct: 0, total: 0 },
  );
}

function accuracy(t: Tally): number | null {
  return t.total >= 1 ? Math.round((t.correct / t.total) * 1000) / 1000 : null;
}

function groupBy<K extends string>(rows: readonly Rollup[], key: (r: Rollup) => K) {
  const out = new Map<K, Rollup[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const SKILL_NAMES: Record<string, LocalizedText> = {
  vocabulary: { en: "vocabulary", es: "vocabulario" },
  grammar: { en: "grammar", es: "gramática" },
  listening: { en: "listening", es: "comprensión auditiva" },
  reading: { en: "reading", es: "lectura" },
  writing: { en: "writing", es: "escritura" },
  speaking: { en: "speaking", es: "expresión oral" },
};
const KIND_NAMES: Record<string, LocalizedText> = {
  practice: { en: "vocabulary reviews", es: "repasos de vocabulario" },
  exercise: { en: "grammar exercises", es: "ejercicios de gramática" },
  lesson: { en: "lessons", es: "lecciones" },
  quiz: { en: "quizzes", es: "pruebas" },
  translation: { en: "translations", es: "traducciones" },
  pronunciation: { en: "pronunciation", es: "pronunciación" },
  placement: { en: "placement", es: "nivelación" },
};
const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Analytics for the period `from`..`to` (local dates, inclusive). `rows` may
 * start earlier (insights compare this week with the week before).
 */
export function analyze(rows: readonly Rollup[], from: string, to: string) {
  const inPeriod = rows.filter((r) => r.localDate >= from && r.localDate <= to);
  const days = daysBetween(from, to) + 1;
  const byDay = groupBy(inPeriod, (r) => r.localDate);
  const perDay = Array.from({ length: days }, (_, i) => {
    const date = addDays(from, i);
    const t = tally(byDay.get(date) ?? []);
    return { date, minutes: minutesOf(t.seconds), xp: t.xp, actions: t.actions };
  });
  const bySkill = groupBy(inPeriod, (r) => r.skill);
  const perSkill = SKILLS.map((skill) => {
    const t = tally(bySkill.get(skill) ?? []);
    return {
      skill,
      minutes: minutesOf(t.seconds),
      xp: t.xp,
      actions: t.actions,
      answers: t.total,
      accuracy: accuracy(t),
      enough_data: t.total >= MIN_ANSWERS,
    };
  });
  const perKind = [...groupBy(inPeriod, (r) => r.kind)].map(([kind, rs]) => {
    const t = tally(rs);
    return {
      kind,
      actions: t.actions,
      answers: t.total,
      accuracy: accuracy(t),
      enough_data: t.total >= MIN_ANSWERS,
    };
  }).sort((a, b) => a.kind.localeCompare(b.kind));
  const rated = perSkill.filter((s) => s.enough_data && s.accuracy !== null)
    .sort((a, b) => b.accuracy! - a.accuracy!);
  const total = tally(inPeriod);
  return {
    totals: {
      minutes: minutesOf(total.seconds),
      xp: total.xp,
      actions: total.actions,
      active_days: perDay.filter((d) => d.actions > 0).length,
      accuracy: accuracy(total),
    },
    per_day: perDay,
    per_skill: perSkill,
    per_exercise_type: perKind,
    strongest: rated[0]?.skill ?? null,
    weakest: rated.length > 1 ? rated[rated.length - 1].skill : null,
  };
}

/**
 * Plain-language insights comparing the last 7 days (ending `today`) with the 7
 * before: accuracy changes of 10 points or more per skill and exercise type (with
 * enough answers on both sides), study time, consistency and the weakest area.
 */
export function insights(rows: readonly Rollup[], today: string): LocalizedText[] {
  const thisWeekFrom = addDays(today, -6);
  const lastWeekFrom = addDays(today, -13);
  const thisWeek = rows.filter((r) => r.localDate >= thisWeekFrom && r.localDate <= today);
  const lastWeek = rows.filter((r) => r.localDate >= lastWeekFrom && r.localDate < thisWeekFrom);
  const out: { weight: number; text: LocalizedText }[] = [];

  const compare = (key: "skill" | "kind", names: Record<string, LocalizedText>) => {
    const now = groupBy(thisWeek, (r) => r[key]);
    const before = groupBy(lastWeek, (r) => r[key]);
    for (const [name, rs] of now) {
      const a = tally(rs);
      const b = tally(before.get(name) ?? []);
      if (a.total < MIN_ANSWERS || b.total < MIN_ANSWERS) continue;
      const delta = a.correct / a.total - b.correct / b.total;
      if (Math.abs(delta) < 0.1) continue;
      const label = names[name] ?? { en: name, es: name };
      const points = Math.round(Math.abs(delta) * 100);
      const from = pct(b.correct / b.total);
      const to = pct(a.correct / a.total);
      out.push({
        weight: Math.abs(delta),
        text: delta < 0
          ? {
            en:
              `Your accuracy in ${label.en} dropped ${points} points this week (${from} → ${to}).`,
            es: `Tu precisión en ${label.es} bajó ${points} puntos esta semana (${from} → ${to}).`,
          }
          : {
            en: `Your accuracy in ${label.en} rose ${points} points this week (${from} → ${to}).`,
            es: `Tu precisión en ${label.es} subió ${points} puntos esta semana (${from} → ${to}).`,
          },
      });
    }
  };
  compare("skill", SKILL_NAMES);
  compare("kind", KIND_NAMES);

  const minutesNow = tally(thisWeek).seconds / 60;
  const minutesBefore = tally(lastWeek).seconds / 60;
  if (minutesBefore >= 10 && minutesNow > 0) {
    const change = (minutesNow - minutesBefore) / minutesBefore;
    if (Math.abs(change) >= 0.25) {
      const p = Math.round(Math.abs(change) * 100);
      out.push({
        weight: Math.abs(change) / 2,
        text: change > 0
          ? {
            en: `You studied ${p}% more this week than last week.`,
            es: `Esta semana estudiaste un ${p} % más que la anterior.`,
          }
          : {
            en: `You studied ${p}% less this week than last week.`,
            es: `Esta semana estudiaste un ${p} % menos que la anterior.`,
          },
      });
    }
  }
  const activeDays = new Set(thisWeek.filter((r) => r.actions > 0).map((r) => r.localDate)).size;
  if (activeDays > 0) {
    out.push({
      weight: 0.05,
      text: {
        en: `You studied on ${activeDays} of the last 7 days.`,
        es: `Estudiaste ${activeDays} de los últimos 7 días.`,
      },
    });
  }
  const week = analyze(rows, thisWeekFrom, today);
  if (week.weakest) {
    const s = week.per_skill.find((x) => x.skill === week.weakest)!;
    out.push({
      weight: 0.08,
      text: {
        en: `Your weakest area this week is ${SKILL_NAMES[s.skill].en} (${
          pct(s.accuracy!)
        } correct): practise it next.`,
        es: `Tu punto más débil esta semana es ${SKILL_NAMES[s.skill].es} (${
          pct(s.accuracy!)
        } de aciertos): practícalo a continuación.`,
      },
    });
  }
  return out.sort((a, b) => b.weight - a.weight).map((o) => o.text);
}
