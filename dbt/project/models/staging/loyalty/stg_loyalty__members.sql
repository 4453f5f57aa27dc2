with

source as (

    select * from {{ source('loyalty', 'members') }}

),

renamed as (

    select

        ---------- ids
        member_id,
        user_id,

        ---------- text
        email,
        full_name,
        tier,

        ---------- timestamps
        updated_at

    from source

)

select * from renamed
