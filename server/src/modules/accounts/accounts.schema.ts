import { z } from 'zod';
import { ROLES } from '../../kernel/roles.js';

export const RegionCode = z.string().regex(/^\d{12}$/, '区划代码须为12位数字 / a region code has 12 digits');
export const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(40),
  password: z.string().min(1).max(128),
});

export const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: Bilingual,
  regionCode: z.string(),
  regionName: z.string(),
  regionPath: z.array(z.object({ code: z.string(), name: z.string(), level: z.number() })),
  countyCode: z.string(),
  providerId: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

export const Session = z.object({ user: Me, csrfToken: z.string() });

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(1).max(128),
});

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  providerId: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string().nullable(),
});

export const UserListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(40).optional(),
  role: z.enum(ROLES).optional(),
  regionCode: RegionCode.optional(),
});

export const CreateUserBody = z.object({
  username: z.string().regex(/^[a-zA-Z0-9_.-]{3,40}$/, '用户名为3-40位字母、数字、下划线、点或连字符 / 3-40 letters, digits, _ . -'),
  displayName: z.string().trim().min(1).max(60),
  role: z.enum(ROLES),
  regionCode: RegionCode,
  providerId: z.uuid().nullable().optional(),
  phone: z
    .string()
    .regex(/^1\d{10}$/, '手机号须为11位 / a mobile number has 11 digits')
    .nullable()
    .optional(),
  password: z.string().min(1).max(128),
});

export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(60),
    role: z.enum(ROLES),
    regionCode: RegionCode,
    providerId: z.uuid().nullable(),
    phone: z
      .string()
      .regex(/^1\d{10}$/, '手机号须为11位 / a mobile number has 11 digits')
      .nullable(),
    status: z.enum(['active', 'disabled']),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '至少修改一项 / change at least one field');

export const ResetPasswordBody = z.object({ password: z.string().min(1).max(128) });
