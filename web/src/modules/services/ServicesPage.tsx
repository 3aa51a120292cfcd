/** 居家社区服务: one entry in the menu, a different desk per role — the large-print ordering page
 * for family members (and elders on their account), the caregiver's phone, the provider's desk,
 * and the staff desk. */
import { useMe } from '../../kernel/auth';
import './locale';
import { CaregiverTasks } from './CaregiverTasks';
import { FamilyOrder } from './FamilyOrder';
import { ProviderWork } from './ProviderWork';
import { StaffWork } from './StaffWork';

export default function ServicesPage() {
  const me = useMe();
  if (me.role === 'family') return <FamilyOrder />;
  if (me.role === 'caregiver') return <CaregiverTasks />;
  if (me.role === 'provider_admin') return <ProviderWork />;
  return <StaffWork />;
}
