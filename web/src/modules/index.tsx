/** The web side of the module catalogue: the page of each ready module (loaded on demand) and
 * the menu icon of every module, planned ones included. A module the server lists but the web
 * does not know yet falls back to the under-construction page and a generic icon. */
import {
  AccountBookOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  BankOutlined,
  CoffeeOutlined,
  DashboardOutlined,
  EyeOutlined,
  FieldTimeOutlined,
  FileSearchOutlined,
  FundOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';

export const PAGES: Record<string, LazyExoticComponent<ComponentType>> = {
  overview: lazy(() => import('./overview/OverviewPage')),
  elders: lazy(() => import('./elders/EldersPage')),
  regions: lazy(() => import('./regions/RegionsPage')),
  users: lazy(() => import('./users/UsersPage')),
  audit: lazy(() => import('./audit/AuditPage')),
  indicators: lazy(() => import('./indicators/IndicatorsPage')),
  family: lazy(() => import('./family/FamilyPage')),
  benefits: lazy(() => import('./benefits/BenefitsPage')),
  facilities: lazy(() => import('./facilities/FacilitiesPage')),
  services: lazy(() => import('./services/ServicesPage')),
};

const ICONS: Record<string, ReactNode> = {
  overview: <DashboardOutlined />,
  elders: <TeamOutlined />,
  benefits: <AccountBookOutlined />,
  services: <HomeOutlined />,
  facilities: <BankOutlined />,
  visits: <HeartOutlined />,
  meals: <CoffeeOutlined />,
  timebank: <FieldTimeOutlined />,
  supervision: <EyeOutlined />,
  workforce: <IdcardOutlined />,
  indicators: <FundOutlined />,
  more: <AppstoreOutlined />,
  regions: <ApartmentOutlined />,
  users: <UserSwitchOutlined />,
  audit: <FileSearchOutlined />,
  family: <HeartOutlined />,
};

export function moduleIcon(key: string): ReactNode {
  return ICONS[key] ?? <AppstoreOutlined />;
}
