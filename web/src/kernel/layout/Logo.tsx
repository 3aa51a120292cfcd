/** The platform mark: a heart with a level line — care, held steady. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" style={{ flex: 'none' }}>
      <rect width="64" height="64" rx="14" fill="#ffffff" fillOpacity="0.16" />
      <rect x="2" y="2" width="60" height="60" rx="12" fill="#1560bd" />
      <path d="M32 50s-16-9.5-16-21a9 9 0 0 1 16-5.7A9 9 0 0 1 48 29c0 11.5-16 21-16 21z" fill="#fff" />
      <path d="M24 33h16" stroke="#1560bd" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
