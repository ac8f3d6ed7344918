-- Reference dataset: the KIET brief on the June 2021 US 100-day supply-chain
-- review (semiconductors, batteries), plus a few cited public figures, and
-- the weights of the risk model.  Every row is builtin and cites a source.
-- The text is ASCII (typographic quotes, arrows and circled numbers of the
-- brief written as ", ' , -> and (N)), so that it reads the same in a
-- database of any encoding.

-- Sources cited by the rows below
INSERT INTO @extschema@.source (id, title, publisher, published, url, note, builtin) VALUES
    ('kiet-2021', 'Investigative Report on the US Semiconductor and Battery Supply Chains: Key Points and Implications', 'Korea Institute for Industrial Economics and Trade (KIET), i-KIET Issue & Analysis', NULL, 'http://eng.kiet.re.kr', 'The primary source: a KIET brief (authors Lee Jun, Kyung Heekwon, Lee Sungkyung, Lee Goeun) on the semiconductor and battery parts of the White House 100-day review; Tables 1-6. The text gives no publication date.', true),
    ('wh-100day-2021', 'Building Resilient Supply Chains, Revitalizing American Manufacturing, and Fostering Broad-Based Growth: 100-Day Reviews under Executive Order 14017', 'The White House', '2021-06-01', 'https://www.whitehouse.gov/wp-content/uploads/2021/06/100-day-supply-chain-review-report.pdf', 'The review the KIET brief summarises; also the source cited here for the US share of global fabrication capacity and for ASML as sole EUV tool producer. Dated June 2021 (the KIET brief''s footnote 1 gives only the month), so the day is recorded as the first of the month; the KIET brief''s body says the report was released on June 4, 2021.', true),
    ('sia-bcg-2021', 'Strengthening the Global Semiconductor Supply Chain in an Uncertain Era', 'Semiconductor Industry Association (SIA) and Boston Consulting Group (BCG)', '2021-04-01', 'https://www.semiconductors.org/strengthening-the-global-semiconductor-supply-chain-in-an-uncertain-era/', 'April 2021; the day is recorded as the first of the month. Used for the 2019 shares of global semiconductor manufacturing capacity below 10 nm (Taiwan 92 %, South Korea 8 %).', true),
    ('us-state-collective-defense', 'U.S. Collective Defense Arrangements', 'U.S. Department of State', NULL, 'https://2009-2017.state.gov/s/l/treaty/collectivedefense/', 'Lists the US collective defense treaties: the North Atlantic Treaty (NATO, including the Netherlands), the U.S.-Japan Treaty of Mutual Cooperation and Security and the U.S.-Republic of Korea Mutual Defense Treaty, among others.', true),
    ('us-taiwan-relations-act', 'Taiwan Relations Act, Public Law 96-8', 'U.S. Congress', '1979-04-10', NULL, 'Governs US relations with Taiwan in the absence of diplomatic recognition; Taiwan is not a treaty ally.', true);

-- Countries and blocs named by the rows below (ZZ = foreign, unnamed)
INSERT INTO @extschema@.country (code, name, builtin) VALUES
    ('US', 'United States', true),
    ('KR', 'Republic of Korea', true),
    ('TW', 'Taiwan', true),
    ('CN', 'China', true),
    ('JP', 'Japan', true),
    ('NL', 'Netherlands', true),
    ('EU', 'European Union', true),
    ('ZZ', 'Unspecified foreign countries', true);

-- Sectors of the brief
INSERT INTO @extschema@.sector (code, name, builtin) VALUES
    ('semiconductors', 'Semiconductors', true),
    ('batteries', 'Large-capacity batteries', true);

-- Supply-chain stages, in the brief's order (Tables 1 and 3)
INSERT INTO @extschema@.stage (id, sector, position, name, description, source, builtin) VALUES
    ('semiconductors.design', 'semiconductors', 1, 'Design', 'Chip design by fabless firms and integrated device manufacturers (IDMs), including IP and EDA tools', 'kiet-2021', true),
    ('semiconductors.fabrication', 'semiconductors', 2, 'Fabrication', 'Wafer fabrication of leading-edge and mature-node chips (foundry)', 'kiet-2021', true),
    ('semiconductors.atp', 'semiconductors', 3, 'ATP and Advanced Packaging', 'Assembly, testing and packaging (ATP) of chips, including advanced packaging and printed circuit boards', 'kiet-2021', true),
    ('semiconductors.materials', 'semiconductors', 4, 'Materials', 'Semiconductor materials: ultra-high purity polysilicon, wafers, photomasks, photoresists, gases and wet chemicals', 'kiet-2021', true),
    ('semiconductors.equipment', 'semiconductors', 5, 'Manufacturing Equipment', 'Semiconductor manufacturing equipment, including front-end and lithography equipment', 'kiet-2021', true),
    ('batteries.raw', 'batteries', 1, 'Raw Materials Production', 'Mining of battery raw materials, chiefly nickel, lithium and cobalt for cathode materials', 'kiet-2021', true),
    ('batteries.refining', 'batteries', 2, 'Materials Refinement and Processing', 'Refining and processing of mined raw materials into battery materials', 'kiet-2021', true),
    ('batteries.cells', 'batteries', 3, 'Manufacturing Materials and Cell Fabrication', 'Manufacture of battery materials and fabrication of battery cells', 'kiet-2021', true),
    ('batteries.packs', 'batteries', 4, 'Pack Fabrication', 'Assembly of cells into battery packs', 'kiet-2021', true),
    ('batteries.recycling', 'batteries', 5, 'Recycling and Reuse', 'Recycling and reuse of batteries, supplementing newly mined raw material', 'kiet-2021', true);

-- Stage links, upstream to downstream (batteries: recycling feeds refining, a cycle)
INSERT INTO @extschema@.stage_link (upstream, downstream, note, source, builtin) VALUES
    ('semiconductors.design', 'semiconductors.fabrication', 'The brief''s chain: "(1) Design (Fabless) -> (2) Fabrication (Foundry)"; the US excels in "domestic design, foreign production".', 'kiet-2021', true),
    ('semiconductors.fabrication', 'semiconductors.atp', 'The brief''s chain: "(2) Fabrication (Foundry) -> (3) ATP and Advanced Packaging".', 'kiet-2021', true),
    ('semiconductors.materials', 'semiconductors.fabrication', 'Materials feed fabrication: Table 1 calls ATP, materials and equipment "sectors closely related to semiconductor manufacturing".', 'kiet-2021', true),
    ('semiconductors.equipment', 'semiconductors.fabrication', 'Equipment feeds fabrication: Table 1 calls ATP, materials and equipment "sectors closely related to semiconductor manufacturing"; "front-end manufacturing equipment".', 'kiet-2021', true),
    ('batteries.raw', 'batteries.refining', 'The brief''s chain: "(1) Raw materials production (mining) -> (2) Materials refinement and processing"; "Mined raw materials are exported owing to lack of refining and processing facilities in the U.S."', 'kiet-2021', true),
    ('batteries.refining', 'batteries.cells', 'The brief''s chain: "(2) Materials refinement and processing -> (3) Manufacturing materials and cell fabrication".', 'kiet-2021', true),
    ('batteries.cells', 'batteries.packs', 'The brief''s chain: "(3) Manufacturing materials and cell fabrication -> (4) Pack fabrication".', 'kiet-2021', true),
    ('batteries.packs', 'batteries.recycling', 'The brief''s chain: "(4) Pack fabrication -> (5) Recycling and reuse".', 'kiet-2021', true),
    ('batteries.recycling', 'batteries.refining', 'Closes the loop: "Recycling and reuse supplements the supply of new mined raw material"; recycled material re-enters processing alongside mined material ("Refining and processing capacities need to be secured (in addition to recycling)").', 'kiet-2021', true);

-- US self-assessment per stage (Tables 1 and 3), as of the June 2021 review
INSERT INTO @extschema@.assessment (stage, country, rating, as_of, diagnosis, basis, source, builtin) VALUES
    ('semiconductors.design', 'US', 'satisfactory', '2021-06-01', 'Highly competitive Integrated Device Manufacturers (IDM) and "fabless" manufacturers; Leader in intellectual property (IP) and electronic design automation (EDA); Risk factors: high dependence on sales to China, dependence on foreign workers', 'Inferred: Table 1 gives no rating, only strengths ("Highly competitive Integrated Device Manufacturers (IDM) and "fabless" manufacturers", "Leader in intellectual property (IP) and electronic design automation (EDA)") besides risk factors; text: "the U.S. excels in "fables" segments"', 'kiet-2021', true),
    ('semiconductors.fabrication', 'US', 'very weak', '2021-06-01', 'Assessed to be the weakest sector; Overall weakness in foundation for semiconductor manufacturing; U.S. is dependent on Korea and Taiwan for leading-edge logic chips and on China for low-tech mature-node chips.; Due to the lack of a manufacturing base for ATP, materials, equipment, etc, sectors closely related to semiconductor manufacturing are unable to acquire technology and knowledge from manufacturing processes.', 'Table 1: "Assessed to be the weakest sector"; text: "with fabrication being the weakest sector"', 'kiet-2021', true),
    ('semiconductors.atp', 'US', 'weak', '2021-06-01', 'Assessed as a weak sector; Report argues China is distorting the market with large-scale investment and price tampering.; US manufacturing base for printed circuit boards (PCBs), a crucial packaging material, is very weak.; Difficult for US to grow ATP industry depending solely on domestic (military) market', 'Table 1: "Assessed as a weak sector"', 'kiet-2021', true),
    ('semiconductors.materials', 'US', 'weak', '2021-06-01', 'Assessed as a weak sector; Competitiveness in ultra-high purity polysilicon, wafers, photomasks, photoresists, and other key materials relatively weak compared to Japan and Europe.; However, gas and wet chemicals highly competitive', 'Table 1: "Assessed as a weak sector"', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'satisfactory', '2021-06-01', 'Strong competitiveness of front-end manufacturing equipment; US dependent on the Netherlands and Japan for lithography equipment; U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea', 'Inferred: Table 1 gives no rating; "Strong competitiveness of front-end manufacturing equipment"', 'kiet-2021', true),
    ('batteries.raw', 'US', 'weak', '2021-06-01', 'Assessed as a weak sector; Focuses on nickel, lithium, and cobalt, which are key ingredients of cathode materials for batteries.; Difficult to meet the rapidly increasing demand by using only recycled and alternative materials. Production of key materials must be increased.; New labor and environmental standards are necessary to make domestic production economically feasible.; Necessary to diversify supply and demand channels through cooperation with allies and spread global labor and environmental standards.', 'Table 3: "Assessed as a weak sector"', 'kiet-2021', true),
    ('batteries.refining', 'US', 'very weak', '2021-06-01', 'Assessed as the weakest sector; Mined raw materials are exported owing to lack of refining and processing facilities in the U.S.; Refining and processing capacities need to be secured (in addition to recycling) in order to strengthen the supply chain.; Report states that the above factors have given China the lead in supply chains.', 'Table 3: "Assessed as the weakest sector"; text: "The weakest link is upstream in the value chain."', 'kiet-2021', true),
    ('batteries.cells', 'US', 'weak', '2021-06-01', 'Diagnosis: US possesses less than 10 percent of global supply capacity.; China accounts for more than 75 percent.; Lack of demand hinders private investment; U.S. accounts for only 12 percent of the global battery demand.', 'Inferred: Table 3 gives no rating; text: "the independent domestic manufacturing base for batteries is generally weak along the entire supply chain"; "US possesses less than 10 percent of global supply capacity"', 'kiet-2021', true),
    ('batteries.packs', 'US', 'weak', '2021-06-01', 'Expanding federal support for cell fabrication and packaging can facilitate private investment.', 'Inferred: Table 3 gives no rating; text: "the independent domestic manufacturing base for batteries is generally weak along the entire supply chain"', 'kiet-2021', true),
    ('batteries.recycling', 'US', 'weak', '2021-06-01', 'Recycling and reuse in early stages of development.; Recycling and reuse supplements the supply of new mined raw material.; With the appropriate policies and investment, US can gain competitive status in global battery supply chain.', 'Inferred: Table 3 gives no rating; text: "the independent domestic manufacturing base for batteries is generally weak along the entire supply chain"; "Recycling and reuse in early stages of development."', 'kiet-2021', true);

-- Dependencies of the US chains named by the brief (share NULL where the brief gives no figure)
INSERT INTO @extschema@.dependency (stage, country, supplier, kind, item, share, as_of, note, source, builtin) VALUES
    ('semiconductors.design', 'US', 'CN', 'market', 'chip sales', NULL, '2021-06-01', 'Table 1 (Design), risk factor: "high dependence on sales to China"', 'kiet-2021', true),
    ('semiconductors.design', 'US', 'ZZ', 'talent', 'foreign workers', NULL, '2021-06-01', 'Table 1 (Design), risk factor: "dependence on foreign workers"; the brief names no country', 'kiet-2021', true),
    ('semiconductors.fabrication', 'US', 'TW', 'supply', 'leading-edge logic chips', 0.92, '2021-06-01', 'Dependency named in the brief''s Table 1: "U.S. is dependent on Korea and Taiwan for leading-edge logic chips"; the share is Taiwan''s share of global semiconductor manufacturing capacity below 10 nm in 2019 (SIA/BCG), not a share of US supply', 'sia-bcg-2021', true),
    ('semiconductors.fabrication', 'US', 'KR', 'supply', 'leading-edge logic chips', 0.08, '2021-06-01', 'Dependency named in the brief''s Table 1: "U.S. is dependent on Korea and Taiwan for leading-edge logic chips"; the share is South Korea''s share of global semiconductor manufacturing capacity below 10 nm in 2019 (SIA/BCG), not a share of US supply', 'sia-bcg-2021', true),
    ('semiconductors.fabrication', 'US', 'CN', 'supply', 'mature-node chips', NULL, '2021-06-01', 'Table 1 (Fabrication): "on China for low-tech mature-node chips"; no figure given', 'kiet-2021', true),
    ('semiconductors.materials', 'US', 'JP', 'supply', 'key materials (ultra-high purity polysilicon, wafers, photomasks, photoresists)', NULL, '2021-06-01', 'Table 1 (Materials): US competitiveness in these key materials is "relatively weak compared to Japan and Europe"; no figure given', 'kiet-2021', true),
    ('semiconductors.materials', 'US', 'EU', 'supply', 'key materials (ultra-high purity polysilicon, wafers, photomasks, photoresists)', NULL, '2021-06-01', 'Table 1 (Materials): US competitiveness in these key materials is "relatively weak compared to Japan and Europe" (the brief says Europe; recorded as the EU bloc); no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'NL', 'supply', 'lithography equipment', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "US dependent on the Netherlands and Japan for lithography equipment"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'JP', 'supply', 'lithography equipment', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "US dependent on the Netherlands and Japan for lithography equipment"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'NL', 'supply', 'EUV lithography tools', 1.0, '2021-06-01', 'ASML (Netherlands) is the sole producer of EUV lithography tools', 'wh-100day-2021', true),
    ('semiconductors.equipment', 'US', 'TW', 'market', 'equipment sales', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'CN', 'market', 'equipment sales', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea"; no figure given', 'kiet-2021', true),
    ('semiconductors.equipment', 'US', 'KR', 'market', 'equipment sales', NULL, '2021-06-01', 'Table 1 (Manufacturing Equipment): "U.S. equipment sales dependent on Asian customers, particularly Taiwan, China, and Korea"; no figure given', 'kiet-2021', true),
    ('batteries.refining', 'US', 'CN', 'supply', 'refined and processed battery materials', NULL, '2021-06-01', 'Table 3 (Materials Refinement and Processing): "Mined raw materials are exported owing to lack of refining and processing facilities in the U.S." and "Report states that the above factors have given China the lead in supply chains."; no figure given', 'kiet-2021', true),
    ('batteries.cells', 'US', 'CN', 'supply', 'battery cells', 0.75, '2021-06-01', 'China accounts for more than 75 percent of global cell supply capacity (lower bound; share of global capacity)', 'kiet-2021', true);

-- How one country regards another (ally / partner / neutral / concern)
INSERT INTO @extschema@.alignment (country, partner, relation, note, source, builtin) VALUES
    ('US', 'KR', 'ally', 'The brief: "Korea, as a U.S. ally"; also a US treaty ally under the U.S.-Republic of Korea Mutual Defense Treaty (U.S. Collective Defense Arrangements).', 'kiet-2021', true),
    ('US', 'JP', 'ally', 'Treaty ally under the U.S.-Japan Treaty of Mutual Cooperation and Security (U.S. Collective Defense Arrangements).', 'us-state-collective-defense', true),
    ('US', 'NL', 'ally', 'Treaty ally as a member of NATO (North Atlantic Treaty; U.S. Collective Defense Arrangements).', 'us-state-collective-defense', true),
    ('US', 'TW', 'partner', 'Not a treaty ally: relations are governed by the Taiwan Relations Act (1979) in the absence of diplomatic recognition, hence partner.', 'us-taiwan-relations-act', true),
    ('US', 'EU', 'partner', 'The brief has the US work with "ally and partner countries" and names Europe beside Japan as a key-materials supplier; the EU is a bloc and not itself a party to a US collective defense treaty, so partner rather than ally (its NATO members are allies individually).', 'kiet-2021', true),
    ('US', 'CN', 'concern', 'Policy (7) (Table 2): "Work with allies to restrict exports of advanced equipment to countries of concern."; the brief speaks of "the U.S. efforts to stave off China" and of US legislation "containing China".', 'kiet-2021', true),
    ('KR', 'US', 'ally', 'The brief: "Korea, as a U.S. ally"; Korea should establish itself "as a reliable global partner of the U.S. and as a technology ally".', 'kiet-2021', true);

-- US policy recommendations (Table 2: Commerce, semiconductors; Table 4: Energy, batteries)
INSERT INTO @extschema@.policy (id, country, sector, number, title, agency, source, builtin) VALUES
    ('us-semiconductors-1', 'US', 'semiconductors', 1, 'Boost domestic investment and strengthen close communication and cooperation with industry', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-2', 'US', 'semiconductors', 2, 'Expedite implementation of CHIPS for America Act to gain technological competitive advantage', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-3', 'US', 'semiconductors', 3, 'Strengthen the domestic semiconductor manufacturing environment', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-4', 'US', 'semiconductors', 4, 'Support SMEs to strengthen innovation capacity', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-5', 'US', 'semiconductors', 5, 'Develop and secure manpower for semiconductors', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-6', 'US', 'semiconductors', 6, 'Cooperate with allies to secure supply chain resilience', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-semiconductors-7', 'US', 'semiconductors', 7, 'Protect technology', 'U.S. Department of Commerce', 'kiet-2021', true),
    ('us-batteries-1', 'US', 'batteries', 1, 'Increase demand for American-made batteries', 'U.S. Department of Energy', 'kiet-2021', true),
    ('us-batteries-2', 'US', 'batteries', 2, 'Expand domestic supply capabilities for key materials', 'U.S. Department of Energy', 'kiet-2021', true),
    ('us-batteries-3', 'US', 'batteries', 3, 'Stimulate production of materials, cells and packs', 'U.S. Department of Energy', 'kiet-2021', true),
    ('us-batteries-4', 'US', 'batteries', 4, 'Invest in human resources and innovation to strengthen the battery ecosystem', 'U.S. Department of Energy', 'kiet-2021', true);

-- Key measures of each policy, verbatim from Tables 2 and 4
INSERT INTO @extschema@.policy_measure (policy, position, measure, builtin) VALUES
    ('us-semiconductors-1', 1, 'Expand information sharing between suppliers and consumers by actively utilizing the convening authority of the Department of Commerce and the consultive groups of other departments.', true),
    ('us-semiconductors-1', 2, 'Strengthen association and cooperation with enterprises in ally and partner countries.', true),
    ('us-semiconductors-1', 3, 'Develop a response system for each scenario to enhance the ability to address current supply chain issues.', true),
    ('us-semiconductors-2', 1, 'Rapidly disburse 50 billion USD budget allocated in CHIPS for America Act to support construction and expansion of domestic manufacturing facilities.', true),
    ('us-semiconductors-2', 2, 'Expand R&D support and secure cutting-edge semiconductor technology; establish a national semiconductor technology center (NSTC).', true),
    ('us-semiconductors-2', 3, 'Establish a multilateral fund to strengthen supply chain security through export restrictions, foreign direct investment (FDI) screening, and intellectual property protection.', true),
    ('us-semiconductors-3', 1, 'Expand basic infrastructure (electricity, water, etc.) for semiconductor manufacturing based on the American Jobs Plan Executive Order.', true),
    ('us-semiconductors-3', 2, 'Provide funding to SMEs in materials, parts, and equipment sectors', true),
    ('us-semiconductors-3', 3, 'Strengthen testing capability related to national defense and security.', true),
    ('us-semiconductors-4', 1, 'Utilize the Small Business Innovation Research (SBIR) program and Small Business Technology Transfer (STTR) program to provide financial support for startups and small businesses related to semiconductors.', true),
    ('us-semiconductors-4', 2, 'Support technology commercialization and scaling-up.', true),
    ('us-semiconductors-4', 3, 'Provide SMEs with financial support through the Small Business Administration (SBA) and the U.S. Export-Import Bank (EXIM).', true),
    ('us-semiconductors-5', 1, 'Utilize programs and funds from the Department of Labor''s Employment and Training Administration (ETA) to strengthen vocational training.', true),
    ('us-semiconductors-5', 2, 'Attract foreign talent through visa reform and strengthen education in science, technology, engineering, and mathematics (STEM).', true),
    ('us-semiconductors-6', 1, 'Locate foreign production facilities in on allied territory', true),
    ('us-semiconductors-6', 2, 'Pursue joint R&D and strengthen joint response capacity', true),
    ('us-semiconductors-6', 3, 'Multilateral and bilateral strategy discussions', true),
    ('us-semiconductors-7', 1, 'Maintain and strengthen export restrictions in order to address weaknesses in the supply chain.', true),
    ('us-semiconductors-7', 2, 'Work with allies to restrict exports of advanced equipment to countries of concern.', true),
    ('us-semiconductors-7', 3, 'Maintain and strengthen the function of the Committee on Foreign Investment in the United States (CFIUS).', true),
    ('us-batteries-1', 1, 'Electrify public fleet of, school buses, and carpool vans.', true),
    ('us-batteries-1', 2, 'Build more charging infrastructure, strengthen energy efficiency and emissions standards.', true),
    ('us-batteries-1', 3, 'Include energy storage systems (ESS) in investment tax credits.', true),
    ('us-batteries-1', 4, 'Revise transmission regulations to support renewable energy and ESS.', true),
    ('us-batteries-2', 1, 'Support manufacturing and refining of domestic lithium.', true),
    ('us-batteries-2', 2, 'Promote nickel and cobalt recycling.', true),
    ('us-batteries-2', 3, 'Invest in nickel smelting facilities and secure supply through cooperation with allies.', true),
    ('us-batteries-2', 4, 'Modernize environmental standards and revise labor requirements.', true),
    ('us-batteries-3', 1, 'Create a new federal subsidy program to promote private sector investment in batteries.', true),
    ('us-batteries-3', 2, 'Utilize the Department of Energy''s Advanced Technology Vehicle Management Loan program to promote investment.', true),
    ('us-batteries-3', 3, 'Revise tax credit policy to support cell fabrication and materials processing SMEs', true),
    ('us-batteries-3', 4, 'Strengthen domestic production by using subsidies, R&D, and other policies with federal budget', true),
    ('us-batteries-4', 1, 'Expand investment in workforce training for next generation battery and electric car industries.', true),
    ('us-batteries-4', 2, 'Recruit battery manufacturing workers.', true),
    ('us-batteries-4', 3, 'Expand R&D to alleviate weaknesses in the supply chain.', true),
    ('us-batteries-4', 4, 'Establish the Manufacturing USA Institute for large-capacity batteries.', true);

-- Impact of each US policy on Korea's industry, short and mid-to-long term (Tables 5 and 6)
INSERT INTO @extschema@.policy_impact (policy, country, horizon, score, as_of, rationale, source, builtin) VALUES
    ('us-semiconductors-1', 'KR', 'short', 'very positive', '2021-06-01', 'The new Semiconductors in America Coalition (SAC) and other channels will provide opportunities to gain information and expand business opportunities.; It will be possible to jointly address supply chain issues.', 'kiet-2021', true),
    ('us-semiconductors-1', 'KR', 'long', 'positive', '2021-06-01', 'The new Semiconductors in America Coalition (SAC) and other channels will provide opportunities to gain information and expand business opportunities.; It will be possible to jointly address supply chain issues.', 'kiet-2021', true),
    ('us-semiconductors-2', 'KR', 'short', 'very positive', '2021-06-01', 'Expanded incentives for Korean companies investing in the U.S.; However, enhanced U.S. semiconductor manufacturing capabilities may weaken Korea''s position in the global semiconductor market in the mid to long term.', 'kiet-2021', true),
    ('us-semiconductors-2', 'KR', 'long', 'negative', '2021-06-01', 'Expanded incentives for Korean companies investing in the U.S.; However, enhanced U.S. semiconductor manufacturing capabilities may weaken Korea''s position in the global semiconductor market in the mid to long term.', 'kiet-2021', true),
    ('us-semiconductors-3', 'KR', 'short', 'positive', '2021-06-01', 'Expansion of manufacturing infrastructure can provide Korean companies investing in the U.S. with a stable manufacturing base.; However, if a competitive semiconductor ecosystem is developed in the U.S., this will help the U.S. regain market share within the semiconductor industry leading to an overall improvement in U.S. competitive advantage.', 'kiet-2021', true),
    ('us-semiconductors-3', 'KR', 'long', 'negative', '2021-06-01', 'Expansion of manufacturing infrastructure can provide Korean companies investing in the U.S. with a stable manufacturing base.; However, if a competitive semiconductor ecosystem is developed in the U.S., this will help the U.S. regain market share within the semiconductor industry leading to an overall improvement in U.S. competitive advantage.', 'kiet-2021', true),
    ('us-semiconductors-4', 'KR', 'short', 'neutral', '2021-06-01', 'No direct benefits for Korean materials, parts, and equipment enterprises.; This policy will contribute to strengthening the U.S. materials, parts, and equipment ecosystem.', 'kiet-2021', true),
    ('us-semiconductors-4', 'KR', 'long', 'negative', '2021-06-01', 'No direct benefits for Korean materials, parts, and equipment enterprises.; This policy will contribute to strengthening the U.S. materials, parts, and equipment ecosystem.', 'kiet-2021', true),
    ('us-semiconductors-5', 'KR', 'short', 'neutral', '2021-06-01', 'May help Korean companies in the U.S. secure a high-quality workforce to some extent.; At the same time there is a possibility that Korea may lose high-quality talent to the U.S.', 'kiet-2021', true),
    ('us-semiconductors-5', 'KR', 'long', 'negative', '2021-06-01', 'May help Korean companies in the U.S. secure a high-quality workforce to some extent.; At the same time there is a possibility that Korea may lose high-quality talent to the U.S.', 'kiet-2021', true),
    ('us-semiconductors-6', 'KR', 'short', 'very positive', '2021-06-01', 'Close communication between semiconductor allies will allow for joint responses to issues in the semiconductor supply chain as well as foster cooperation.; May help blunt China''s ascent in technology and thus help maintain the current technology gap.; However, if Korea openly participates in counter-China measures, it may suffer indiscriminate trade retaliation from China.', 'kiet-2021', true),
    ('us-semiconductors-6', 'KR', 'long', 'neutral', '2021-06-01', 'Close communication between semiconductor allies will allow for joint responses to issues in the semiconductor supply chain as well as foster cooperation.; May help blunt China''s ascent in technology and thus help maintain the current technology gap.; However, if Korea openly participates in counter-China measures, it may suffer indiscriminate trade retaliation from China.', 'kiet-2021', true),
    ('us-semiconductors-7', 'KR', 'short', 'very positive', '2021-06-01', NULL, 'kiet-2021', true),
    ('us-semiconductors-7', 'KR', 'long', 'neutral', '2021-06-01', NULL, 'kiet-2021', true),
    ('us-batteries-1', 'KR', 'short', 'very positive', '2021-06-01', 'Korean battery firms can supply the new demand created by promotional measures.; U.S. firms may enter the competitive market in the mid to long term, but it will be difficult for them to gain manufacturing competitiveness immediately. This will allow Korean battery manufacturers to maintain a large market share of the U.S. domestic market.', 'kiet-2021', true),
    ('us-batteries-1', 'KR', 'long', 'positive', '2021-06-01', 'Korean battery firms can supply the new demand created by promotional measures.; U.S. firms may enter the competitive market in the mid to long term, but it will be difficult for them to gain manufacturing competitiveness immediately. This will allow Korean battery manufacturers to maintain a large market share of the U.S. domestic market.', 'kiet-2021', true),
    ('us-batteries-2', 'KR', 'short', 'neutral', '2021-06-01', 'Mid- to long-term development of U.S. capabilities in raw materials will help Korea''s battery industry diversify its supply channels.; Joint R&D in recycling and reuse will contribute to enhanced technological capabilities and stabilization of the supply chain.', 'kiet-2021', true),
    ('us-batteries-2', 'KR', 'long', 'positive', '2021-06-01', 'Mid- to long-term development of U.S. capabilities in raw materials will help Korea''s battery industry diversify its supply channels.; Joint R&D in recycling and reuse will contribute to enhanced technological capabilities and stabilization of the supply chain.', 'kiet-2021', true),
    ('us-batteries-3', 'KR', 'short', 'neutral', '2021-06-01', 'We can expect the U.S. battery industry and the related ecosystem to attain competitiveness in the mid-to-long term.; If U.S. domestic firms are prioritized for government support (much like China has done), we can expect the U.S. to gain competitiveness quickly.; Korean firms will inevitably lose market share in the U.S. market. Competitive pressures within the global market will intensify in the mid-to-long term as well.', 'kiet-2021', true),
    ('us-batteries-3', 'KR', 'long', 'negative', '2021-06-01', 'We can expect the U.S. battery industry and the related ecosystem to attain competitiveness in the mid-to-long term.; If U.S. domestic firms are prioritized for government support (much like China has done), we can expect the U.S. to gain competitiveness quickly.; Korean firms will inevitably lose market share in the U.S. market. Competitive pressures within the global market will intensify in the mid-to-long term as well.', 'kiet-2021', true),
    ('us-batteries-4', 'KR', 'short', 'neutral', '2021-06-01', 'U.S. battery industry will strengthen in the mid-to-long term.; Active recruitment of foreign talent could lead to loss of manufacturing workers in Korea .', 'kiet-2021', true),
    ('us-batteries-4', 'KR', 'long', 'negative', '2021-06-01', 'U.S. battery industry will strengthen in the mid-to-long term.; Active recruitment of foreign talent could lead to loss of manufacturing workers in Korea .', 'kiet-2021', true);

-- Quoted figures that are not dependencies (subsidies, budget, capacity and demand shares)
INSERT INTO @extschema@.figure (id, country, sector, stage, metric, qualifier, value, unit, period, note, source, builtin) VALUES
    ('cn-semiconductor-subsidy-central', 'CN', 'semiconductors', NULL, 'central government subsidy', 'about', 200000000000, 'USD', '2015-2025', 'Footnote 7: "China is planning to inject roughly 200 billion USD in central government subsidies into the semiconductor industry" through its National Integrated Circuit Industry Investment Fund (ICF); planned', 'kiet-2021', true),
    ('cn-semiconductor-subsidy-local', 'CN', 'semiconductors', NULL, 'local government subsidy', 'about', 145000000000, 'USD', '2015-2025', 'Footnote 7: "roughly 145 billion USD in local government subsidies between 2015 and 2025 through its National Integrated Circuit Industry Investment Fund (ICF)"; planned', 'kiet-2021', true),
    ('us-chips-act-budget', 'US', 'semiconductors', NULL, 'CHIPS for America Act budget', NULL, 50000000000, 'USD', NULL, 'Table 2, policy (2): "Rapidly disburse 50 billion USD budget allocated in CHIPS for America Act to support construction and expansion of domestic manufacturing facilities."', 'kiet-2021', true),
    ('us-battery-cell-capacity-share', 'US', 'batteries', 'batteries.cells', 'share of global cell supply capacity', 'less than', 0.10, 'fraction', NULL, 'Table 3 (Manufacturing Materials and Cell Fabrication): "US possesses less than 10 percent of global supply capacity."', 'kiet-2021', true),
    ('cn-battery-cell-capacity-share', 'CN', 'batteries', 'batteries.cells', 'share of global cell supply capacity', 'more than', 0.75, 'fraction', NULL, 'Table 3 (Manufacturing Materials and Cell Fabrication): "China accounts for more than 75 percent." Also stored as the US dependency on China for battery cells.', 'kiet-2021', true),
    ('us-battery-demand-share', 'US', 'batteries', 'batteries.cells', 'share of global battery demand', NULL, 0.12, 'fraction', NULL, 'Table 3 (Manufacturing Materials and Cell Fabrication): "U.S. accounts for only 12 percent of the global battery demand."', 'kiet-2021', true),
    ('us-fab-capacity-share', 'US', 'semiconductors', 'semiconductors.fabrication', 'share of global semiconductor fabrication capacity', 'about', 0.12, 'fraction', NULL, 'Current share at the time of the 100-day review (2021), as quoted there; down from 37 percent in 1990.', 'wh-100day-2021', true),
    ('us-fab-capacity-share-1990', 'US', 'semiconductors', 'semiconductors.fabrication', 'share of global semiconductor fabrication capacity', NULL, 0.37, 'fraction', '1990', 'US share in 1990, as quoted in the 100-day review.', 'wh-100day-2021', true);

-- The weights of the risk model (README, "Risk model").
INSERT INTO @extschema@.weight (name, value, description, builtin) VALUES
    ('weakness.satisfactory', 1.0 / 3, 'weakness of a stage rated satisfactory', true),
    ('weakness.weak', 2.0 / 3, 'weakness of a stage rated weak', true),
    ('weakness.very weak', 1, 'weakness of a stage rated very weak', true),
    ('weakness.unassessed', 1, 'weakness of a stage the depending country has not rated (no evidence of strength)', true),
    ('alignment.ally', 0.25, 'weight of a dependency on an ally', true),
    ('alignment.partner', 0.5, 'weight of a dependency on a partner', true),
    ('alignment.neutral', 0.75, 'weight of a dependency on a neutral country', true),
    ('alignment.concern', 1, 'weight of a dependency on a country of concern', true),
    ('alignment.unknown', 0.75, 'weight of a dependency on a country with no alignment row (as neutral)', true),
    ('kind.supply', 1, 'weight of a supply (import) dependency', true),
    ('kind.market', 1, 'weight of a market (sales) dependency', true),
    ('kind.talent', 1, 'weight of a talent (workforce) dependency', true),
    ('hhi.concentrated', 0.25, 'HHI above which a stage is flagged concentrated (2,500 on the 0..10,000 scale, the US merger guidelines'' "highly concentrated")', true),
    ('policy.long_term_risk_below', 0, 'a policy is a long-term risk when its long-term value is below this (0: any negative impact)', true);
UPDATE @extschema@.weight SET default_value = value WHERE builtin;
