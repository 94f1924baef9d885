import { type Static, Type } from 'typebox';

/** The organisation's business calendar: what business-time SLAs count in. */
export const CalendarSchema = Type.Object(
  {
    time_zone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
    working_days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      description: 'ISO weekdays worked: 1 = Monday … 7 = Sunday',
      maxItems: 7,
    }),
    day_start: Type.String({ description: 'Local start of the working day, HH:MM' }),
    day_end: Type.String({ description: 'Local end of the working day, HH:MM' }),
    holidays: Type.Array(
      Type.Object(
        {
          date: Type.String({ description: 'YYYY-MM-DD' }),
          name: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  {
    $id: 'Calendar',
    additionalProperties: false,
    description: 'Time zone, working days, working hours and holidays that business-time SLAs count in',
  },
);

export type Calendar = Static<typeof CalendarSchema>;
