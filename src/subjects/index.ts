export { type BlindIndexKind, createSubjectsService, type Subject, type SubjectIdentifiers, type SubjectsService } from './subjects.service.ts';
export type { SubjectsTable, SubjectsTables } from './subjects.tables.ts';
